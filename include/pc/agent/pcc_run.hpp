// pcc's whole run after configuration: banner, sink, sampling loop, shutdown.
#pragma once

#include "pc/agent/pcc_config.hpp"
#include "pc/record/tick_sink.hpp"

namespace pc::agent {

// pcc's exit statuses (docs/pcc.md). 1 (fatal) and 2 (usage) come from core's error reporting.
inline constexpr int kExitComplete = 0;      // every tick sampled was written or delivered
inline constexpr int kExitTicksLost = 3;     // dropped by the cap, refused, failed to spool/write
inline constexpr int kExitTicksSpooled = 4;  // trickle: ticks left in the spool for the next run
inline constexpr int kExitKeyRefused = 5;    // trickle: the server refuses the key, ticks wait

// The status for what became of the ticks: a refused key first (the one thing to fix before
// anything can be delivered), then lost ticks, then ticks still spooled.
int exit_status(PccMode mode, const record::SinkReport& report);

// Logs the banner, opens the sink (startup errors are UserErrors raised before sampling),
// samples on schedule until the duration is over or SIGINT/SIGTERM, then finishes the sink.
// Returns the exit status (exit_status): 0 when every tick sampled was written or delivered,
// whether the run completed or was stopped by a signal. Must be called from main() before any
// thread starts (it installs the signal watcher).
int run_pcc(const PccConfig& config);

}  // namespace pc::agent
