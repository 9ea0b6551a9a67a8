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

    // The first tick whose time is still ahead when `elapsed` has passed since the start (the
    // next future multiple of the frequency). Never more than count + 1.
    std::int64_t next_future(core::Duration elapsed) const;

    // How late a tick may be woken and still be sampled: min(frequency / 4, 250 ms). Ticks are
    // placed mid-second, so a tick sampled within that margin keeps its scheduled Unix second;
    // a later one is missed (a stall: SIGSTOP, VM pause, swapping) and the loop goes on with the
    // next future tick instead of sampling late.
    core::Duration lateness_margin() const;
};

}  // namespace pc::collect
