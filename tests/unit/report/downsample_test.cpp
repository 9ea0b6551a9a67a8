#include "pc/report/downsample.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using pc::report::downsample;
using pc::report::TimeTable;

namespace {

TimeTable ramp(std::int64_t rows, std::int64_t step = 1) {
    TimeTable t;
    const std::size_t c = t.column("v");
    for (std::int64_t i = 0; i < rows; ++i) {
        t.at(1000 + i * step);
        t.set(c, static_cast<double>(i % 10));
    }
    return t;
}

}  // namespace

TEST(Downsample, SmallTablesAreCopiedRowForRow) {
    TimeTable t = ramp(50);
    auto rows = downsample(t, 100);
    ASSERT_EQ(rows.rows(), 50u);
    EXPECT_EQ(rows.times.front(), 1000);
    EXPECT_EQ(rows.at(7, 0), 7.0);
}

TEST(Downsample, KeepsASingleSpikeAmongADayOfSeconds) {
    TimeTable t;
    const std::size_t c = t.column("cpu");
    const std::size_t d = t.column("disk");
    for (std::int64_t i = 0; i < 86400; ++i) {
        t.at(i);
        t.set(c, i == 43210 ? 99.5 : 1.0);
        t.set(d, i == 100 ? -3.0 : 5.0);  // a dip survives too
    }
    auto rows = downsample(t, 2000);
    EXPECT_LE(rows.rows(), 2000u);
    double cmax = 0, dmin = 100;
    for (std::size_t r = 0; r < rows.rows(); ++r) {
        cmax = std::max(cmax, rows.at(r, 0));
        dmin = std::min(dmin, rows.at(r, 1));
    }
    EXPECT_EQ(cmax, 99.5);
    EXPECT_EQ(dmin, -3.0);
}

TEST(Downsample, MinAndMaxComeInTheOrderTheyHappened) {
    TimeTable t;
    const std::size_t c = t.column("v");
    // 8 rows into 2 buckets of 4: first bucket peaks before it dips.
    const double values[] = {5, 9, 1, 5, 5, 1, 9, 5};
    for (std::int64_t i = 0; i < 8; ++i) {
        t.at(i);
        t.set(c, values[i]);
    }
    auto rows = downsample(t, 4);
    ASSERT_EQ(rows.rows(), 4u);
    EXPECT_EQ(rows.at(0, 0), 9.0);
    EXPECT_EQ(rows.at(1, 0), 1.0);
    EXPECT_EQ(rows.at(2, 0), 1.0);
    EXPECT_EQ(rows.at(3, 0), 9.0);
    EXPECT_EQ(rows.times[0], 0);
    EXPECT_EQ(rows.times[1], 3);
}

TEST(Downsample, AGapBreaksTheLine) {
    TimeTable t;
    const std::size_t c = t.column("v");
    for (std::int64_t ts : {0, 1, 2, 3, 100, 101}) {
        t.at(ts);
        t.set(c, 1);
    }
    auto rows = downsample(t, 100);
    ASSERT_EQ(rows.rows(), 7u);
    EXPECT_EQ(rows.times[4], 4);
    EXPECT_TRUE(std::isnan(rows.at(4, 0)));
    EXPECT_EQ(rows.times[5], 100);
}

TEST(Downsample, MissingValuesStayMissing) {
    TimeTable t;
    t.column("a");
    for (std::int64_t i = 0; i < 5000; ++i) t.at(i);
    auto rows = downsample(t, 100);
    for (double v : rows.cells) EXPECT_TRUE(std::isnan(v));
    EXPECT_LE(rows.rows(), 100u);
}

TEST(UsualStep, IsTheMostFrequentDifference) {
    EXPECT_EQ(pc::report::usual_step({0, 5, 10, 15, 100, 105}), 5);
    EXPECT_EQ(pc::report::usual_step({7}), 1);
}

TEST(TimeTable, ColumnsAddedLaterAreFilledWithNothing) {
    TimeTable t;
    t.at(1);
    t.at(1);  // same tick: same row
    t.at(2);
    const std::size_t c = t.column("late");
    t.set(c, 4);
    EXPECT_EQ(t.rows(), 2u);
    EXPECT_TRUE(std::isnan(t.values(c)[0]));
    EXPECT_EQ(t.values(c)[1], 4.0);
}
