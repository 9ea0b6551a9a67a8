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

TEST(Schedule, NextAfterSkipsMissedPeriodsWithoutDrift) {
    auto s = TickSchedule::from(100s, 10s);     // 10 ticks
    EXPECT_EQ(s.next_after(1, 10s + 50ms), 2);  // on time
    EXPECT_EQ(s.next_after(1, 19s), 2);         // late but tick 2 not yet due
    EXPECT_EQ(s.next_after(1, 20s + 1ms), 2);   // tick 2 due now
    EXPECT_EQ(s.next_after(1, 45s), 4);         // ticks 2 and 3 missed: take 4 now
    EXPECT_EQ(s.next_after(9, 300s), 11);       // past the end: done
    EXPECT_EQ(s.next_after(10, 100s), 11);
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
    // The loop itself accepts any frequency; a short one keeps the test fast.
    TickSchedule s{std::chrono::milliseconds(20), 5};
    MemorySink sink;
    pc::collect::StopSignal stop;
    std::vector<bool> firsts;
    std::int64_t clock = 100;
    pc::collect::LoopHooks hooks{
        [&](std::int64_t ts, bool first) {
            firsts.push_back(first);
            return pc::record::Tick{{ts, "/proc/stat", "x"}, {ts, "statfs[*]", ""}};
        },
        [&] { return clock++; }};
    auto result = pc::collect::run_collection_loop(s, hooks, sink, stop);
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
    pc::collect::LoopHooks hooks{[](std::int64_t, bool) { return pc::record::Tick{}; },
                                 [] { return 0; }};
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
    pc::collect::LoopHooks hooks{[&](std::int64_t ts, bool) {
                                     if (++samples == 2) stop.request_stop();
                                     return pc::record::Tick{{ts, "/proc/stat", "x"}};
                                 },
                                 [] { return 7; }};
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
