#include "pc/client/base_url.hpp"

#include <charconv>

#include "pc/core/error.hpp"

namespace pc::client {

std::string BaseUrl::origin() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string BaseUrl::to_string() const {
    return origin() + path_prefix;
}

std::string BaseUrl::path(std::string_view route) const {
    std::string out = path_prefix;
    if (route.empty() || route.front() != '/') out += '/';
    out += route;
    return out;
}

namespace {

[[noreturn]] void reject(std::string_view variable, std::string_view shown, std::string_view why) {
    throw core::UserError(std::string(variable) + " \"" + std::string(shown) +
                          "\" is not a valid server URL: " + std::string(why) +
                          " (expected e.g. http://localhost:8080 or host:port)");
}

bool valid_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

}  // namespace

BaseUrl parse_base_url(std::string_view text, std::string_view variable) {
    BaseUrl url;
    std::string_view rest = text;
    // Never echo a userinfo part back: it may hold a password.
    const std::string_view shown = text.find('@') == std::string_view::npos ? text : "<redacted>";
    if (rest.empty()) reject(variable, shown, "it is empty");

    const auto scheme_end = rest.find("://");
    if (scheme_end != std::string_view::npos) {
        std::string scheme(rest.substr(0, scheme_end));
        for (auto& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (scheme != "http" && scheme != "https")
            reject(variable, shown, "the scheme must be http or https");
        url.scheme = scheme;
        rest.remove_prefix(scheme_end + 3);
    }
    url.port = url.https() ? 443 : 80;

    const auto path_start = rest.find('/');
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
    if (authority.find('@') != std::string_view::npos)
        reject(variable, shown,
               "credentials in the URL are not supported; set the API key instead");
    if (path.find_first_of("?#") != std::string_view::npos ||
        authority.find_first_of("?#") != std::string_view::npos)
        reject(variable, shown, "query strings and fragments are not allowed");

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) reject(variable, shown, "unterminated IPv6 address");
        url.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                reject(variable, shown, "unexpected text after the IPv6 address");
            port_text = after.substr(1);
            if (port_text.empty()) reject(variable, shown, "the port is empty");
        }
        if (url.host.empty() ||
            url.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
            reject(variable, shown, "invalid IPv6 address");
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) reject(variable, shown, "the port is empty");
        }
        if (url.host.empty()) reject(variable, shown, "the host is empty");
        for (char c : url.host)
            if (!valid_host_char(c))
                reject(variable, shown, "the host contains invalid characters");
    }
    if (!port_text.empty()) {
        int port = 0;
        const auto* end = port_text.data() + port_text.size();
        const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
        if (ec != std::errc() || ptr != end || port < 1 || port > 65535)
            reject(variable, shown, "the port must be a number from 1 to 65535");
        url.port = port;
    }

    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    url.path_prefix = std::string(path);
    return url;
}

}  // namespace pc::client
