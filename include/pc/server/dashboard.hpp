// pcd's dashboard for admins (GET /): sign-in with an admin key, the fleet page, the machine
// page (the report of a window) and its downloads. docs/pcd.md, "Dashboard".
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "pc/server/dashboard_sessions.hpp"
#include "pc/server/fleet_view.hpp"

namespace httplib {
class Server;
}

namespace pc::store {
class Store;
}

namespace pc::server {

struct ServerContext;

struct DashboardOptions {
    std::chrono::seconds session_ttl{12 * 3600};  // PCD_SESSION_TTL
    bool secure_cookie = false;                   // pcd serves TLS: the cookie is Secure
    int refresh_seconds = 5;                      // how often the fleet page refreshes
    std::size_t fleet_reads_per_refresh = 64;     // FleetView's read budget
};

class Dashboard {
public:
    Dashboard(const store::Store& store, DashboardOptions settings)
        : options(settings),
          sessions(settings.session_ttl),
          fleet(store, settings.fleet_reads_per_refresh) {}

    DashboardOptions options;
    SessionTable sessions;
    FleetView fleet;
};

// The dashboard's POST routes (sign-in and sign-out).
bool is_dashboard_post(std::string_view path);

// Installs the dashboard's routes; `ctx.dashboard` must be set and outlive the server.
void install_dashboard_routes(httplib::Server& server, ServerContext& ctx);

}  // namespace pc::server
