// Where a client talks to: scheme, host, port and an optional path prefix.
#pragma once

#include <string>
#include <string_view>

namespace pc::client {

struct BaseUrl {
    std::string scheme = "http";  // "http" or "https"
    std::string host;             // name or address; IPv6 without brackets
    int port = 80;
    std::string path_prefix;  // "" or "/prefix" without a trailing '/'

    bool https() const { return scheme == "https"; }
    // "http://host:port" (IPv6 hosts in brackets), the form httplib's Client takes.
    std::string origin() const;
    // origin() + path_prefix: what logs and error messages show.
    std::string to_string() const;
    // path_prefix + path, e.g. "/pcd" + "/v1/trickle".
    std::string path(std::string_view route) const;
};

// Accepts "http://host[:port][/prefix]", "https://host[:port][/prefix]" and the short
// "host:port" form (http). IPv6 literals go in brackets. Default ports are 80 and 443.
// Rejects other schemes, user:password@ parts (credentials belong in PCC_APIKEY), query
// strings, fragments and bad ports with a UserError naming `variable` and the fix.
BaseUrl parse_base_url(std::string_view text, std::string_view variable = "URL");

}  // namespace pc::client
