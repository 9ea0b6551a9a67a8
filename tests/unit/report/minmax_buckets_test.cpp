// Buckets merge pairwise as the span grows; each keeps every series' exact minimum and maximum.
#include "pc/report/minmax_buckets.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using pc::report::MinMax;
using pc::report::MinMaxBuckets;

TEST(MinMax, KeepsTheFirstOccurrenceOnTies) {
    MinMax a;
    a.add(3, 0);
    a.add(1, 1);
    a.add(1, 2);
    a.add(NAN, 3);
    EXPECT_EQ(a.lo, 1.0);
    EXPECT_EQ(a.lo_at, 1u);
    EXPECT_EQ(a.hi_at, 0u);
    MinMax b;
    b.add(1, 4);
    b.add(3, 5);
    a.merge(b);
    EXPECT_EQ(a.lo_at, 1u);
    EXPECT_EQ(a.hi_at, 0u);
    MinMax empty;
    empty.merge(b);
    EXPECT_EQ(empty.hi_at, 5u);
}

TEST(MinMaxBuckets, StayBoundedAndMatchEveryRowsExtremes) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> value(-50, 50);
    const std::size_t max_keys = 64;
    MinMaxBuckets b(2, max_keys, 1000, 1000);
    std::vector<std::int64_t> times;
    std::vector<double> a, c;
    std::int64_t ts = 1000;
    for (std::uint32_t r = 0; r < 5000; ++r) {
        ts += r % 97 == 0 ? 30 : 1;  // with gaps
        const double row[2] = {value(rng), r % 3 == 0 ? NAN : value(rng)};
        b.add_row(ts, r, row);
        times.push_back(ts);
        a.push_back(row[0]);
        c.push_back(row[1]);
        ASSERT_LE(b.size(), max_keys);
    }
    EXPECT_GT(b.size(), max_keys / 4);
    // Each bucket: the rows between its first and last time, their extremes by brute force.
    std::size_t row = 0, rows = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const auto& bucket = b.bucket(i);
        ASSERT_EQ(times[row], bucket.first);
        const std::size_t end = row + bucket.rows;
        ASSERT_EQ(times[end - 1], bucket.last);
        const std::vector<double>* series[2] = {&a, &c};
        for (std::size_t s = 0; s < 2; ++s) {
            const auto& v = *series[s];
            std::size_t lo = end, hi = end;
            for (std::size_t r = row; r < end; ++r) {
                if (std::isnan(v[r])) continue;
                if (lo == end || v[r] < v[lo]) lo = r;
                if (hi == end || v[r] > v[hi]) hi = r;
            }
            const MinMax& m = b.cell(i, s);
            ASSERT_EQ(m.lo, v[lo]);
            ASSERT_EQ(m.lo_at, lo);
            ASSERT_EQ(m.hi, v[hi]);
            ASSERT_EQ(m.hi_at, hi);
        }
        rows += bucket.rows;
        row = end;
    }
    EXPECT_EQ(rows, times.size());
}

TEST(MinMaxBuckets, ASeriesAddedLaterHasNothingBefore) {
    MinMaxBuckets b(1, 8, 0, 0);
    const double one[1] = {5};
    b.add_row(0, 0, one);
    b.add_series();
    const double two[2] = {6, 7};
    b.add_row(100, 1, two);
    ASSERT_EQ(b.series(), 2u);
    EXPECT_TRUE(b.cell(0, 1).empty());
    EXPECT_EQ(b.cell(0, 0).lo, 5.0);
    EXPECT_EQ(b.cell(b.size() - 1, 1).hi, 7.0);
}
