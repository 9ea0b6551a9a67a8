#include "pc/collect/schedule.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "pc/collect/collection_loop.hpp"
#include "pc/core/error.hpp"

using pc::collect::TickSchedule;
using namespace std::chrono_literals;

TEST(Schedule, CountIsDurationOverFrequency) {
    EXPECT_EQ(TickSchedule::from(630s, 5s).count, 126);
    EXPECT_EQ(TickSchedule::from(70min, 5s).count, 840);
    EXPECT_EQ(TickSchedule::from(15min, 5s).count, 180);
    EXPECT_EQ(TickSchedule::from(24h, 10s).count, 8640);
    EXPECT_EQ(TickSchedule::from(7s, 2s).count, 3);  // a partial last period is not sampled
    EXPECT_EQ(TickSchedule::from(1s, 1s).count, 1);
}

TEST(Schedule, TicksAreMultiplesOfTheFrequencyFromStart) {
    auto s = TickSchedule::from(630s, 5s);
    EXPECT_EQ(s.offset(1), pc::core::Duration(5s));
    EXPECT_EQ(s.offset(126), pc::core::Duration(630s));  // last tick at start + duration
}

TEST(Schedule, RejectsImpossibleSchedules) {
    EXPECT_THROW(TickSchedule::from(1s, 0s), pc::core::UserError);
    EXPECT_THROW(TickSchedule::from(1s, 2s), pc::core::UserError);
}

TEST(Schedule, NextFutureIsTheNextMultipleStillAhead) {
    auto s = TickSchedule::from(100s, 10s);  // 10 ticks
    EXPECT_EQ(s.next_future(-1s), 1);
    EXPECT_EQ(s.next_future(0s), 1);
    EXPECT_EQ(s.next_future(10s + 50ms), 2);  // just after tick 1
    EXPECT_EQ(s.next_future(19s), 2);
    EXPECT_EQ(s.next_future(20s), 3);    // tick 2's time has come: it is not in the future
    EXPECT_EQ(s.next_future(45s), 5);    // woken in the middle of period 4-5
    EXPECT_EQ(s.next_future(100s), 11);  // past the end: done
    EXPECT_EQ(s.next_future(300s), 11);
}

TEST(Schedule, LatenessMarginIsAQuarterPeriodAtMost250ms) {
    EXPECT_EQ(TickSchedule::from(10s, 1s).lateness_margin(), pc::core::Duration(250ms));
    EXPECT_EQ(TickSchedule::from(100s, 10s).lateness_margin(), pc::core::Duration(250ms));
    EXPECT_EQ((TickSchedule{200ms, 5}.lateness_margin()), pc::core::Duration(50ms));
}

namespace {

struct MemorySink : pc::record::TickSink {
    std::vector<pc::record::Tick> ticks;
    bool finished = false;
    void write(const pc::record::Tick& t) override { ticks.push_back(t); }
    std::size_t finish(std::chrono::milliseconds) override {
        finished = true;
        return 0;
    }
};

}  // namespace

TEST(CollectionLoop, RunsCountTicksFirstFlagOnce) {
    // The loop itself accepts any frequency; a short one keeps the test fast (its lateness
    // margin, 50 ms, absorbs the scheduling delays of a busy machine).
    TickSchedule s{std::chrono::milliseconds(200), 5};
    MemorySink sink;
    pc::collect::StopSignal stop;
    std::vector<bool> firsts;
    std::int64_t clock = 100;
    std::vector<pc::record::Tick> recycled;
    pc::collect::LoopHooks hooks{
        [&](std::int64_t ts, bool first) {
            firsts.push_back(first);
            return pc::record::Tick{{ts, "/proc/stat", "x"}, {ts, "statfs[*]", ""}};
        },
        [&] { return clock++; },
        [&](pc::record::Tick&& written) {
            // Handed back only once the sink has it.
            EXPECT_EQ(sink.ticks.size(), recycled.size() + 1);
            EXPECT_EQ(written, sink.ticks.back());
            recycled.push_back(std::move(written));
        }};
    auto result = pc::collect::run_collection_loop(s, hooks, sink, stop);
    EXPECT_EQ(recycled, sink.ticks);
    EXPECT_EQ(result.ticks, 5);
    EXPECT_FALSE(result.stopped);
    ASSERT_EQ(sink.ticks.size(), 5u);
    EXPECT_EQ(firsts, (std::vector<bool>{true, false, false, false, false}));
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(sink.ticks[i][0].timestamp, 100 + static_cast<std::int64_t>(i));
        EXPECT_EQ(sink.ticks[i][1].timestamp, sink.ticks[i][0].timestamp);
    }
}

TEST(CollectionLoop, StopDuringWaitEndsAtOnce) {
    TickSchedule s{std::chrono::hours(1), 3};
    MemorySink sink;
    pc::collect::StopSignal stop;
    pc::collect::LoopHooks hooks{
        [](std::int64_t, bool) { return pc::record::Tick{}; }, [] { return 0; }, {}};
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        stop.request_stop();
    });
    auto result = pc::collect::run_collection_loop(s, hooks, sink, stop);
    stopper.join();
    EXPECT_TRUE(result.stopped);
    EXPECT_EQ(result.ticks, 0);
}

TEST(CollectionLoop, StopDuringSampleFinishesThatTick) {
    TickSchedule s{std::chrono::milliseconds(10), 100};
    MemorySink sink;
    pc::collect::StopSignal stop;
    int samples = 0;
    std::int64_t clock = 7;
    pc::collect::LoopHooks hooks{[&](std::int64_t ts, bool) {
                                     if (++samples == 2) stop.request_stop();
                                     return pc::record::Tick{{ts, "/proc/stat", "x"}};
                                 },
                                 [&] { return clock++; },
                                 {}};
    auto result = pc::collect::run_collection_loop(s, hooks, sink, stop);
    EXPECT_TRUE(result.stopped);
    EXPECT_EQ(result.ticks, 2);
    EXPECT_EQ(sink.ticks.size(), 2u);
}

TEST(CollectionLoop, MidSecondDelayIsUnderOneSecond) {
    auto d = pc::collect::mid_second_delay();
    EXPECT_GE(d, pc::core::Duration::zero());
    EXPECT_LT(d, pc::core::Duration(1s));
}

namespace {

// A loop whose "Unix seconds" are periods of `period` since the test began, with a stall of
// `stall` inside the sample of tick `stall_at`: what SIGSTOP, a VM pause or swapping does.
struct StalledRun {
    pc::collect::LoopResult result;
    std::vector<std::int64_t> timestamps;
};

StalledRun run_with_stall(std::chrono::milliseconds period, std::int64_t count, int stall_at,
                          std::chrono::milliseconds stall) {
    using Clock = std::chrono::steady_clock;
    TickSchedule s{period, count};
    MemorySink sink;
    pc::collect::StopSignal stop;
    // Ticks are placed half a period after a "second" boundary, as pcc places them mid-second.
    const auto origin = Clock::now() - period / 2;
    int samples = 0;
    pc::collect::LoopHooks hooks{[&](std::int64_t ts, bool) {
                                     if (++samples == stall_at) std::this_thread::sleep_for(stall);
                                     return pc::record::Tick{{ts, "/proc/stat", "x"}};
                                 },
                                 [&] { return (Clock::now() - origin) / period; },
                                 {}};
    StalledRun run;
    run.result = pc::collect::run_collection_loop(s, hooks, sink, stop);
    for (const auto& t : sink.ticks) run.timestamps.push_back(t[0].timestamp);
    return run;
}

void expect_strictly_increasing_and_counted(const StalledRun& run, std::int64_t count) {
    ASSERT_FALSE(run.timestamps.empty());
    std::int64_t gaps = 0;
    for (std::size_t i = 1; i < run.timestamps.size(); ++i) {
        std::int64_t d = run.timestamps[i] - run.timestamps[i - 1];
        EXPECT_GE(d, 1) << "tick " << i << " repeats or goes back";
        gaps += d - 1;  // whole periods between two written ticks: ticks not taken
    }
    EXPECT_EQ(run.result.ticks + run.result.skipped_ticks, count);
    EXPECT_EQ(run.result.skipped_ticks, gaps) << "the skipped count is the true count";
}

}  // namespace

TEST(CollectionLoop, StallOfThreePeriodsSkipsToTheNextFutureTick) {
    // Tick 2 stalls for 3.3 periods: ticks 3, 4 and 5 pass while stalled (5 is 0.8 period late
    // on waking), tick 6 is the next future one. The old loop sampled 3 at once and then 5,
    // which was also due: two ticks in the same second.
    // The loop waits on the real clock: on a loaded machine a later tick can also wake past the
    // lateness margin and be skipped too, so the stall's 3 are a floor; the invariants above
    // (never two ticks in one second, every skip counted) hold whatever the load.
    auto run = run_with_stall(200ms, 8, 2, 660ms);
    expect_strictly_increasing_and_counted(run, 8);
    EXPECT_GE(run.result.skipped_ticks, 3);
    EXPECT_LE(run.result.ticks, 5);
}

TEST(CollectionLoop, StallOfOnePointSixPeriodsSkipsOne) {
    auto run = run_with_stall(200ms, 6, 2, 320ms);
    expect_strictly_increasing_and_counted(run, 6);
    EXPECT_GE(run.result.skipped_ticks, 1);  // a floor, as above
}

TEST(CollectionLoop, ClockSetBackSkipsTheTickInsteadOfRepeatingATimestamp) {
    TickSchedule s{std::chrono::milliseconds(200), 4};
    MemorySink sink;
    pc::collect::StopSignal stop;
    std::vector<std::int64_t> wall{100, 101, 101, 103};  // tick 3 reads the same second again
    std::size_t next = 0;
    pc::collect::LoopHooks hooks{[](std::int64_t ts, bool) {
                                     return pc::record::Tick{{ts, "/proc/stat", "x"}};
                                 },
                                 [&] { return wall[next++]; },
                                 {}};
    auto result = pc::collect::run_collection_loop(s, hooks, sink, stop);
    EXPECT_EQ(result.ticks, 3);
    EXPECT_EQ(result.skipped_ticks, 1);
    ASSERT_EQ(sink.ticks.size(), 3u);
    EXPECT_EQ(sink.ticks[2][0].timestamp, 103);
}
