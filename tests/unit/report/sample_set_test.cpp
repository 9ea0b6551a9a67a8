// A SampleSet gives the very figures summarize() gives on the plain samples.
#include "pc/report/sample_set.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using pc::report::SampleSet;
using pc::report::summarize;

namespace {

void expect_same(const SampleSet& set, const std::vector<double>& plain) {
    const auto a = set.stats();
    const auto b = summarize(plain);
    EXPECT_EQ(a.count, b.count);
    EXPECT_EQ(a.average, b.average);  // bit for bit: summed in the same order
    EXPECT_EQ(a.p95, b.p95);
    EXPECT_EQ(a.max, b.max);
}

}  // namespace

TEST(SampleSet, TwoDecimalSamplesGiveTheSameFiguresAsEverySample) {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> cents(-100000, 2000000000);
    for (int n : {1, 2, 19, 20, 21, 1000, 50000}) {
        SampleSet set;
        std::vector<double> plain;
        for (int i = 0; i < n; ++i) {
            // Parsed from text, as the report reads the CSV.
            const double v = std::stod(std::to_string(cents(rng) / 100) + "." +
                                       std::to_string(100 + cents(rng) % 100).substr(1));
            set.add(v);
            plain.push_back(v);
            if (i % 7 == 0) {
                set.add(NAN);
                plain.push_back(NAN);
            }
        }
        expect_same(set, plain);
    }
}

TEST(SampleSet, OtherValuesAreKeptAsTheyAre) {
    SampleSet set;
    std::vector<double> plain;
    for (double v : {1.25, 2.5, 100 - 75.37, 1.0 / 3, 3e12, -0.0, 7.0}) {
        set.add(v);
        plain.push_back(v);
    }
    expect_same(set, plain);
    const auto values = set.values();
    ASSERT_EQ(values.size(), plain.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(values[i], plain[i]);
        EXPECT_EQ(std::signbit(values[i]), std::signbit(plain[i]));
    }
}

TEST(SampleSet, EmptyHasNoFigures) {
    SampleSet set;
    set.add(NAN);
    EXPECT_EQ(set.count(), 0u);
    EXPECT_EQ(set.stats().count, 0u);
    EXPECT_TRUE(set.values().empty());
}
