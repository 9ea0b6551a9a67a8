#include "pc/measure/duty_cycle.hpp"

#include <algorithm>

namespace pc::measure {

CoreResult run_duty_cycle(Clock& clock, const DutyCycle& cycle, const std::function<void()>& work,
                          const std::atomic<bool>& stop) {
    CoreResult result;
    const auto busy_part = std::chrono::duration_cast<std::chrono::nanoseconds>(
        cycle.period * std::clamp(cycle.busy_fraction, 0.0, 1.0));
    const auto start = clock.now();
    const auto end = start + cycle.length;
    for (auto period_start = start; period_start < end; period_start += cycle.period) {
        if (stop.load(std::memory_order_relaxed)) break;
        const auto busy_end = std::min(period_start + busy_part, end);
        auto t = clock.now();
        const auto began = t;
        while (t < busy_end && !stop.load(std::memory_order_relaxed)) {
            work();
            ++result.units;
            t = clock.now();
        }
        result.busy += t - began;
        const auto next = std::min(period_start + cycle.period, end);
        if (t < next) clock.sleep_until(next);
    }
    return result;
}

}  // namespace pc::measure
