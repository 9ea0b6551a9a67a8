// The sampling loop: drift-free ticks from the schedule, each sampled and handed to the sink.
#pragma once

#include <cstdint>
#include <functional>

#include "pc/collect/schedule.hpp"
#include "pc/collect/stop_signal.hpp"
#include "pc/record/record.hpp"
#include "pc/record/tick_sink.hpp"

namespace pc::collect {

struct LoopHooks {
    // Takes one tick's samples (Sampler::sample).
    std::function<record::Tick(std::int64_t timestamp, bool first_tick)> sample;
    // Unix seconds now; the one timestamp of a tick.
    std::function<std::int64_t()> unix_now;
    // Optional: takes each tick back once the sink has written it (Sampler::recycle), so that
    // its records' storage serves the next tick instead of being freed and allocated again.
    std::function<void(record::Tick&&)> recycle;
};

struct LoopResult {
    std::int64_t ticks = 0;          // ticks sampled and handed to the sink
    std::int64_t skipped_ticks = 0;  // scheduled ticks not sampled: stalls, clock set back
    bool stopped = false;            // ended early by a stop request
};

// Waits for tick k at start + k x frequency (steady clock) for k = 1..count, where start is now
// + `start_delay`; samples it and writes it to `sink`. A tick woken more than the schedule's
// lateness margin after its time is not sampled: the loop goes on with the next future tick
// (after a stall, never two ticks in a row). Written timestamps strictly increase: a tick whose
// timestamp is not above the previous one is skipped. ticks + skipped_ticks = count unless
// stopped. A stop request ends the wait at once; a tick already being sampled is finished and
// written first.
LoopResult run_collection_loop(const TickSchedule& schedule, const LoopHooks& hooks,
                               record::TickSink& sink, StopSignal& stop,
                               core::Duration start_delay = core::Duration::zero());

// The delay (under 1 s) that puts the wall clock at the middle of a second. Ticks scheduled from
// there are half a second away from any second boundary, so scheduling jitter never changes
// their Unix-seconds timestamps: consecutive ticks differ by exactly the frequency.
core::Duration mid_second_delay();

// Unix seconds from the system clock.
std::int64_t system_unix_now();

}  // namespace pc::collect
