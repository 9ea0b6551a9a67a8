#include "pc/ctl/command.hpp"

#include <cstdlib>

#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"

namespace pc::ctl {

const Action* ActionTable::parsed() const {
    for (const auto& [command, action] : entries_) {
        if (command->parsed()) return &action;
    }
    return nullptr;
}

std::filesystem::path expand_home(const std::string& path) {
    if (path == "~" || path.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        std::string base = home && *home ? home : "/root";
        return std::filesystem::path(base + path.substr(1));
    }
    return std::filesystem::path(path);
}

std::chrono::milliseconds parse_duration_setting(const std::string& text,
                                                 std::string_view variable) {
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    core::Duration d = digits && text.size() < 10
                           ? core::Duration(std::chrono::seconds(std::stoll(text)))
                           : core::parse_duration_or_throw(text, variable);
    if (d.count() < 0) {
        throw core::UsageError(std::string(variable) + " must not be negative (got " + text + ")");
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

}  // namespace pc::ctl
