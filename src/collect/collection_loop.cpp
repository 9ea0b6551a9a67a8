#include "pc/collect/collection_loop.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace pc::collect {

std::int64_t system_unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

core::Duration mid_second_delay() {
    using namespace std::chrono;
    auto since_epoch = duration_cast<core::Duration>(system_clock::now().time_since_epoch());
    auto into_second = since_epoch % seconds(1);
    auto delay = core::Duration(milliseconds(500)) - into_second;
    return delay < core::Duration::zero() ? delay + seconds(1) : delay;
}

LoopResult run_collection_loop(const TickSchedule& schedule, const LoopHooks& hooks,
                               record::TickSink& sink, StopSignal& stop,
                               core::Duration start_delay) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now() + std::chrono::duration_cast<Clock::duration>(start_delay);
    LoopResult result;
    std::int64_t k = schedule.first;
    while (k <= schedule.count) {
        auto due = start + std::chrono::duration_cast<Clock::duration>(schedule.offset(k));
        if (stop.wait_until(due)) {
            result.stopped = true;
            break;
        }
        record::Tick tick = hooks.sample(hooks.unix_now(), result.ticks == 0);
        sink.write(tick);
        ++result.ticks;
        spdlog::debug("tick {} of {}: {} records", k, schedule.count, tick.size());
        if (stop.stop_requested()) {
            result.stopped = true;
            break;
        }
        auto next = schedule.next_after(k, Clock::now() - start);
        if (next > k + 1) {
            result.skipped_ticks += next - k - 1;
            spdlog::warn("sampling fell behind the schedule: skipped {} tick(s)", next - k - 1);
        }
        k = next;
    }
    return result;
}

}  // namespace pc::collect
