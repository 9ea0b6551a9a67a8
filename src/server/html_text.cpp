#include "pc/server/html_text.hpp"

#include "pc/report/escape.hpp"

namespace pc::server {

std::string html_escape(std::string_view text) {
    return report::html_escaped(text);  // the report's escaping: one for every page pcd serves
}

std::string url_component(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            const auto b = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[b >> 4];
            out += kHex[b & 0xf];
        }
    }
    return out;
}

}  // namespace pc::server
