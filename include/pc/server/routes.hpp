// pcd's HTTP surface on cpp-httplib: routes, limits, JSON errors, request accounting.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pc/server/timestamp_window.hpp"

namespace httplib {
class Server;
}

namespace pc::store {
class Store;
}

namespace pc::server {

class Dashboard;
class KeyRing;
class LoadTest;
class Metrics;
class RateLimiter;

struct ServerContext {
    store::Store& store;
    KeyRing& keys;
    RateLimiter& limiter;
    Metrics& metrics;
    std::uint64_t max_body = 16u << 20;  // largest body after decompression
    std::size_t threads = 256;           // requests served at once
    LoadTest* load_test = nullptr;       // POST /v1/loadtest; nullptr: off (404)
    TimestampWindow timestamps = {};     // records outside it are refused (400)
    Dashboard* dashboard = nullptr;      // GET / and /dashboard/...; nullptr: off (404)
};

// Installs every route plus server-wide behaviour: thread pool, timeouts, keep-alive, body
// limit, {"error":...} bodies for every 4xx/5xx, request counting and debug logging.
// `context` must outlive the server.
void install_routes(httplib::Server& server, ServerContext& context);

}  // namespace pc::server
