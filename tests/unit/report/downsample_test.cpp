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
    // Equal counts: the smaller step wins.
    EXPECT_EQ(pc::report::most_common_step({{3, 2}, {1, 2}, {9, 1}}), 1);
    EXPECT_EQ(pc::report::most_common_step({}), 1);
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

namespace {

// The display rows a table kept in full would give, computed plainly: the span cut into
// max_points / 2 columns by time, each column's minimum and maximum per series.
struct Plain {
    std::vector<std::int64_t> times;
    std::vector<double> values;
};

}  // namespace

TEST(Downsample, LongTablesKeepBucketsWithTheSameExtremesAsEveryRow) {
    const std::size_t max_points = 200;
    TimeTable t(max_points);
    const std::size_t c = t.column("v");
    Plain plain;
    std::int64_t ts = 5000;
    for (std::int64_t i = 0; i < 30000; ++i) {
        ts += i == 12345 ? 600 : 2;  // one gap
        t.at(ts);
        const double v = std::sin(static_cast<double>(i) / 50) * 10 + (i == 20001 ? 500 : 0);
        t.set(c, v);
        plain.times.push_back(ts);
        plain.values.push_back(v);
    }
    ASSERT_FALSE(t.full_resolution());
    EXPECT_EQ(t.rows(), 30000u);
    EXPECT_EQ(t.usual_step(), 2);
    auto rows = downsample(t, max_points);
    EXPECT_LE(rows.rows(), max_points + 1);  // + the gap's empty row
    EXPECT_GT(rows.rows(), max_points / 2);
    // Every display row is a real row's time and value, and each pair of rows holds the
    // extremes of the rows between them.
    std::size_t nans = 0;
    double top = -1e9;
    for (std::size_t r = 0; r < rows.rows(); ++r) {
        const double v = rows.at(r, 0);
        if (std::isnan(v)) {
            ++nans;
            continue;
        }
        top = std::max(top, v);
        auto it = std::find(plain.times.begin(), plain.times.end(), rows.times[r]);
        ASSERT_NE(it, plain.times.end());
    }
    EXPECT_EQ(nans, 1u);
    EXPECT_EQ(top, *std::max_element(plain.values.begin(), plain.values.end()));
    double bottom = 1e9;
    for (std::size_t r = 0; r < rows.rows(); ++r) {
        if (!std::isnan(rows.at(r, 0))) bottom = std::min(bottom, rows.at(r, 0));
    }
    EXPECT_EQ(bottom, *std::min_element(plain.values.begin(), plain.values.end()));
    for (std::size_t r = 0; r + 1 < rows.rows(); ++r) {
        if (std::isnan(rows.at(r, 0)) || rows.times[r] == rows.times[r + 1]) continue;
        auto first = std::find(plain.times.begin(), plain.times.end(), rows.times[r]);
        auto last = std::find(plain.times.begin(), plain.times.end(), rows.times[r + 1]);
        if (first == plain.times.end() || last == plain.times.end()) continue;
        const auto a = static_cast<std::size_t>(first - plain.times.begin());
        const auto b = static_cast<std::size_t>(last - plain.times.begin());
        // Every value between two consecutive display rows lies within the column extremes
        // drawn around it: never above the larger nor below the smaller of the pair's column.
        if (r % 2 == 0 && b > a + 1) {
            const double lo = std::min(rows.at(r, 0), rows.at(r + 1, 0));
            const double hi = std::max(rows.at(r, 0), rows.at(r + 1, 0));
            for (std::size_t k = a; k <= b; ++k) {
                ASSERT_GE(plain.values[k], lo) << "row " << r;
                ASSERT_LE(plain.values[k], hi) << "row " << r;
            }
        }
    }
}

TEST(Downsample, TablesUpToKeepRowsAreDrawnAsBefore) {
    TimeTable t(100);
    const std::size_t c = t.column("v");
    for (std::int64_t i = 0; i < 100; ++i) {
        t.at(i);
        t.set(c, static_cast<double>(i));
    }
    EXPECT_TRUE(t.full_resolution());
    auto rows = downsample(t, 100);
    ASSERT_EQ(rows.rows(), 100u);
    EXPECT_EQ(rows.at(99, 0), 99.0);
    EXPECT_FALSE(t.all_zero());
}
