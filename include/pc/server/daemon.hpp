// pcd's life cycle: load keys, open the store, listen, reload keys on SIGHUP, stop gracefully on
// SIGTERM/SIGINT (no new connections, in-flight requests finish, exit 0).
#pragma once

#include "pc/server/config.hpp"

namespace pc::server {

// Runs until SIGTERM or SIGINT; returns the exit status. Throws UserError for configuration
// problems found at startup (missing API keys file, bad TLS files, address in use...).
int run_daemon(const PcdOptions& options, const NameOf& name_of = {});

}  // namespace pc::server
