#include "pc/trickle/server_list.hpp"

namespace pc::trickle {

std::vector<std::string> split_server_list(std::string_view list) {
    std::vector<std::string> servers;
    for (;;) {
        const auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        servers.emplace_back(item);
        if (comma == std::string_view::npos) return servers;
        list.remove_prefix(comma + 1);
    }
}

}  // namespace pc::trickle
