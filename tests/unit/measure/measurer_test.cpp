#include "pc/measure/measurer.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "fake_clock.hpp"
#include "pc/core/error.hpp"

namespace {

using namespace std::chrono_literals;
using pc::measure::MeasureOptions;
using pc::test::ThreadFakeClock;

MeasureOptions fake_options(ThreadFakeClock& clock, int cores) {
    MeasureOptions o;
    o.clock = &clock;
    o.cores = cores;
    o.level_length = 1s;
    o.work = [] { return [] { ThreadFakeClock::advance(1ms); }; };
    return o;
}

TEST(Measurer, EveryLevelOnEveryCoreSummed) {
    ThreadFakeClock clock;
    auto options = fake_options(clock, 2);
    std::vector<int> progress;
    options.on_level = [&](const pc::measure::LevelResult& l) { progress.push_back(l.busy_pct); };
    auto r = pc::measure::measure(options);
    EXPECT_EQ(r.num_cores, 2);
    EXPECT_TRUE(r.error.empty());
    ASSERT_EQ(r.results.size(), 10u);
    for (std::size_t i = 0; i < 10; ++i) {
        const int pct = static_cast<int>(i + 1) * 10;
        EXPECT_EQ(r.results[i].busy_pct, pct);
        // 1 ms units, `pct` ms of every 100 ms period, 10 periods, 2 cores.
        EXPECT_EQ(r.results[i].work_units, static_cast<std::uint64_t>(pct * 10 * 2)) << pct;
    }
    EXPECT_EQ(progress, (std::vector<int>{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}));
    EXPECT_EQ(r.max_units, 2000u);
    EXPECT_EQ(r.avg_units, 1100u);              // (200 + 400 + ... + 2000) / 10
    EXPECT_DOUBLE_EQ(r.units_per_sec, 2000.0);  // 2 cores x 1000 units per busy second
    EXPECT_FALSE(r.hostname.empty());
    EXPECT_GT(r.timestamp, 1700000000);
}

TEST(Measurer, ShouldStopEndsTheRunWithTheLevelsDoneSoFar) {
    auto options = MeasureOptions{};
    options.cores = 2;
    options.levels = {10, 20, 30};
    options.level_length = 200ms;
    options.period = 20ms;
    std::atomic<int> levels_done{0};
    options.on_level = [&](const pc::measure::LevelResult&) { ++levels_done; };
    options.should_stop = [&] { return levels_done.load() >= 1; };
    const auto start = std::chrono::steady_clock::now();
    auto r = pc::measure::measure(options);
    EXPECT_EQ(r.error, "stopped");
    EXPECT_EQ(r.results.size(), 1u);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 400ms);
}

TEST(Measurer, RealWorkUnitsAreCountedOnRealTime) {
    MeasureOptions options;
    options.cores = 1;
    options.levels = {50, 100};
    options.level_length = 100ms;
    options.period = 20ms;
    auto r = pc::measure::measure(options);
    ASSERT_EQ(r.results.size(), 2u);
    EXPECT_GT(r.results[1].work_units, 0u);
    EXPECT_GT(r.units_per_sec, 0);
}

TEST(Measurer, LevelsParse) {
    EXPECT_EQ(pc::measure::parse_levels("10,20,100", "--levels"), (std::vector<int>{10, 20, 100}));
    EXPECT_EQ(pc::measure::parse_levels("5", "--levels"), (std::vector<int>{5}));
    for (const char* bad : {"", "10,", "0", "101", "20,10", "10,10", "a", "10;20", " 10"}) {
        EXPECT_THROW(pc::measure::parse_levels(bad, "--levels"), pc::core::UserError) << bad;
    }
}

TEST(Measurer, UsableCpusIsPositive) {
    EXPECT_GE(pc::measure::usable_cpus(), 1);
}

}  // namespace
