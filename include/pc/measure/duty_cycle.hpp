// One core's share of a load level: work units for `busy_fraction` of every period, idle for the
// rest, until the level's length has passed or `stop` is set.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "pc/measure/clock.hpp"

namespace pc::measure {

struct DutyCycle {
    double busy_fraction = 1.0;  // 0 < f <= 1
    std::chrono::nanoseconds period{std::chrono::milliseconds(100)};
    std::chrono::nanoseconds length{std::chrono::seconds(5)};
};

struct CoreResult {
    std::uint64_t units = 0;           // work units completed
    std::chrono::nanoseconds busy{0};  // time spent in them
};

// Periods start at fixed offsets from the first one (a late period does not shift the next).
// A unit starts only while the period's busy window is open, and always finishes, so a period
// can run over its window by at most one unit; `busy` is what was really spent.
CoreResult run_duty_cycle(Clock& clock, const DutyCycle& cycle, const std::function<void()>& work,
                          const std::atomic<bool>& stop);

}  // namespace pc::measure
