#include "pc/server/dashboard_cookie.hpp"

#include "pc/core/strings.hpp"

namespace pc::server {

namespace {

std::string with_attributes(std::string cookie, std::chrono::seconds max_age, bool secure) {
    cookie +=
        "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict";
    if (secure) cookie += "; Secure";
    return cookie;
}

}  // namespace

std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
    return with_attributes(std::string(kSessionCookie) + "=" + std::string(token), max_age, secure);
}

std::string cleared_session_cookie(bool secure) {
    return with_attributes(std::string(kSessionCookie) + "=", std::chrono::seconds(0), secure);
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semicolon = header.find(';');
        auto pair = core::trim(header.substr(0, semicolon));
        header.remove_prefix(semicolon == std::string_view::npos ? header.size() : semicolon + 1);
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos) continue;
        if (core::trim(pair.substr(0, equals)) != name) continue;
        auto value = core::trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
    }
    return std::nullopt;
}

}  // namespace pc::server
