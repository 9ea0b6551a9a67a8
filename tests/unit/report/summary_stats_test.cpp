#include "pc/report/summary_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

using pc::report::summarize;

TEST(SummaryStats, AverageNearestRankP95AndMax) {
    std::vector<double> v;
    for (int i = 1; i <= 100; ++i) v.push_back(i);
    auto s = summarize(v);
    EXPECT_EQ(s.count, 100u);
    EXPECT_DOUBLE_EQ(s.average, 50.5);
    EXPECT_EQ(s.p95, 95.0);
    EXPECT_EQ(s.max, 100.0);
}

TEST(SummaryStats, LeavesOutMissingValues) {
    auto s = summarize({NAN, 2.0, 4.0, NAN});
    EXPECT_EQ(s.count, 2u);
    EXPECT_DOUBLE_EQ(s.average, 3.0);
    EXPECT_EQ(s.p95, 4.0);
    EXPECT_EQ(s.max, 4.0);
}

TEST(SummaryStats, EmptyAndSingle) {
    EXPECT_EQ(summarize({}).count, 0u);
    auto one = summarize({7.25});
    EXPECT_EQ(one.p95, 7.25);
    EXPECT_EQ(one.max, 7.25);
}
