// pcc's whole run after configuration: banner, sink, sampling loop, shutdown.
#pragma once

#include "pc/agent/pcc_config.hpp"

namespace pc::agent {

// Logs the banner, opens the sink (startup errors are UserErrors raised before sampling),
// samples on schedule until the duration is over or SIGINT/SIGTERM, then finishes the sink.
// Returns the exit status: 0 after a completed or signal-stopped collection, 1 when ticks were
// lost to write errors in local mode. Must be called from main() before any thread starts
// (it installs the signal watcher).
int run_pcc(const PccConfig& config);

}  // namespace pc::agent
