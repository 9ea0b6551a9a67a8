// pcctl's remote subcommands against pcd: ping, version, health, machines, fetch.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pc/client/http_client.hpp"
#include "pc/ctl/command.hpp"

namespace pc::ctl {

// A client for --server with --cafile and --timeout.
std::unique_ptr<client::HttpClient> make_pcd_client(const GlobalOptions& global);

// The one-line reason a request failed: the transport error, or "HTTP <status>: <error>" with
// pcd's {"error":...} message (or an excerpt of another body).
std::string describe_failure(const client::HttpResult& result);

// Authorization header for admin routes; UserError saying how to get a key when it is empty.
client::Headers admin_headers(const GlobalOptions& global);

// --since/--until: Unix seconds ("1767800521"), RFC 3339 UTC or with an offset
// ("2026-01-07T15:42:01Z", "2026-01-07T16:42:01+01:00") or a Go duration meaning that long
// before `now` ("2h"). UserError naming `option` otherwise.
std::int64_t parse_time_argument(const std::string& text, std::string_view option,
                                 std::int64_t now);

struct PingResult {
    std::chrono::microseconds rtt{0};
    std::int64_t origin_timestamp = 0;
    std::int64_t server_timestamp = 0;
};

// POST /v1/ping {"timestamp":now}; checks the echo. UserError on failure.
PingResult ping_once(client::HttpClient& http);

void register_remote_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
