// The drift-free tick schedule: tick k is due at start + k x frequency, k = 1..count.
#pragma once

#include <chrono>
#include <cstdint>

#include "pc/core/duration.hpp"

namespace pc::collect {

struct TickSchedule {
    core::Duration frequency{};
    std::int64_t count = 0;  // duration / frequency, the original's number of ticks
    // 1: the first sample one period after the start (pcc); 0: one at the start too, so
    // count + 1 samples (the original's container collector).
    std::int64_t first = 1;

    // Throws UserError when frequency is not positive or duration is shorter than frequency.
    static TickSchedule from(core::Duration duration, core::Duration frequency);

    // Time of tick k (1-based) after the start.
    core::Duration offset(std::int64_t k) const { return frequency * k; }

    // The next tick to take after tick `done` when `elapsed` has passed since the start: normally
    // done + 1; when whole periods were missed (machine suspended, sampling stalled) the latest
    // tick already due, so the schedule never bursts or drifts. Never more than count + 1.
    std::int64_t next_after(std::int64_t done, core::Duration elapsed) const;
};

}  // namespace pc::collect
