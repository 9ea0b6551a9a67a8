#include "pc/collect/collection_loop.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <limits>

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
    using std::chrono::duration_cast;
    const auto start = Clock::now() + duration_cast<Clock::duration>(start_delay);
    const auto margin = duration_cast<Clock::duration>(schedule.lateness_margin());
    LoopResult result;
    std::int64_t last_ts = std::numeric_limits<std::int64_t>::min();
    std::int64_t k = schedule.first;
    while (k <= schedule.count) {
        const auto due = start + duration_cast<Clock::duration>(schedule.offset(k));
        if (stop.wait_until(due)) {
            result.stopped = true;
            break;
        }
        const auto now = Clock::now();
        if (now - due > margin) {
            // Woken too late (stopped, paused or starved): sampling now would give this tick a
            // later second, possibly the next tick's. Go on with the next future tick instead.
            const std::int64_t next = schedule.next_future(now - start);
            result.skipped_ticks += next - k;
            spdlog::warn("sampling stalled for {} ms past tick {}: skipped {} tick(s)",
                         duration_cast<std::chrono::milliseconds>(now - due).count(), k, next - k);
            k = next;
            continue;
        }
        const std::int64_t ts = hooks.unix_now();
        if (ts <= last_ts) {
            // The wall clock was set back (or drifted from the mid-second phase): a second tick
            // with a timestamp already written would be ambiguous to every reader.
            ++result.skipped_ticks;
            spdlog::warn("the wall clock reads {}, not after the last tick's {}: skipped 1 tick(s)",
                         ts, last_ts);
            ++k;
            continue;
        }
        record::Tick tick = hooks.sample(ts, result.ticks == 0);
        sink.write(tick);
        ++result.ticks;
        last_ts = ts;
        spdlog::debug("tick {} of {}: {} records", k, schedule.count, tick.size());
        if (hooks.recycle) hooks.recycle(std::move(tick));
        if (stop.stop_requested()) {
            result.stopped = true;
            break;
        }
        ++k;
    }
    return result;
}

}  // namespace pc::collect
