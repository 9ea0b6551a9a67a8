// Ticks, interval and gaps from the timestamps of stored records.
#include "pc/server/tick_timeline.hpp"

#include <gtest/gtest.h>

using pc::server::TickTimeline;

TEST(TickTimeline, RecordsOfOneTickCountOnce) {
    TickTimeline t;
    EXPECT_FALSE(t.interval());
    for (int i = 0; i < 6; ++i) t.add(100);
    EXPECT_EQ(t.ticks(), 1u);
    EXPECT_FALSE(t.interval()) << "one tick has no interval";
    t.add(110);
    t.add(110);
    EXPECT_EQ(t.ticks(), 2u);
    EXPECT_EQ(t.interval(), 10);
    EXPECT_EQ(t.last_tick(), 110);
}

TEST(TickTimeline, IntervalIsTheMedianOfRecentSteps) {
    TickTimeline t;
    for (std::int64_t ts : {0, 5, 10, 16, 20, 25, 31, 35}) t.add(ts);
    EXPECT_EQ(t.interval(), 5);
    EXPECT_EQ(t.gaps(), 0u) << "a tick a second late is no gap";
}

TEST(TickTimeline, AGapIsTwiceTheIntervalAndAtLeastTwoSecondsMore) {
    TickTimeline t;
    for (std::int64_t ts : {0, 1, 2, 3, 4}) t.add(ts);
    t.add(6);  // step 2 = 2 x 1 but not 1 + 2: no gap
    EXPECT_EQ(t.gaps(), 0u);
    t.add(9);  // step 3: a gap
    EXPECT_EQ(t.gaps(), 1u);
    for (std::int64_t ts = 10; ts < 20; ++ts) t.add(ts);
    t.add(100);
    EXPECT_EQ(t.gaps(), 2u);
    EXPECT_EQ(t.ticks(), 18u);
    EXPECT_EQ(t.interval(), 1) << "one long step does not move the median";
}

TEST(TickTimeline, TheIntervalFollowsAChangedFrequency) {
    TickTimeline t;
    std::int64_t ts = 0;
    for (int i = 0; i < 40; ++i) t.add(ts += 1);
    for (int i = 0; i < 40; ++i) t.add(ts += 10);
    EXPECT_EQ(t.interval(), 10);
    // Until the longer steps are half of the last 32, each is judged against 1 s: 16 gaps.
    EXPECT_EQ(t.gaps(), 16u);
}
