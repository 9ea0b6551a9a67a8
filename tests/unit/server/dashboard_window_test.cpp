// The machine page's window: presets, custom ranges (Unix seconds or UTC times), refusals.
#include "pc/server/dashboard_window.hpp"

#include <gtest/gtest.h>

using namespace pc::server;

namespace {
constexpr std::int64_t kNow = 1'764'999'000;
}

TEST(DashboardWindow, DefaultIsTheLastHour) {
    auto p = parse_window(std::nullopt, std::nullopt, std::nullopt, kNow);
    ASSERT_TRUE(p.window) << p.error;
    EXPECT_EQ(p.window->since, kNow - 3600);
    EXPECT_EQ(p.window->until, kNow);
    EXPECT_EQ(p.window->preset, "1h");
}

TEST(DashboardWindow, Presets) {
    for (const auto& [name, seconds] : std::vector<std::pair<std::string, std::int64_t>>{
             {"15m", 900}, {"1h", 3600}, {"6h", 21600}, {"24h", 86400}, {"7d", 604800}}) {
        auto p = parse_window(name, std::nullopt, std::nullopt, kNow);
        ASSERT_TRUE(p.window) << name;
        EXPECT_EQ(p.window->until - p.window->since, seconds) << name;
    }
    auto bad = parse_window("2y", std::nullopt, std::nullopt, kNow);
    EXPECT_FALSE(bad.window);
    EXPECT_EQ(bad.error, "window \"2y\" is not one of 15m, 1h, 6h, 24h, 7d");
}

TEST(DashboardWindow, CustomRangeInUnixSecondsOrUtcTime) {
    auto p = parse_window(std::nullopt, "1700000000", "1700003600", kNow);
    ASSERT_TRUE(p.window) << p.error;
    EXPECT_EQ(p.window->since, 1700000000);
    EXPECT_EQ(p.window->until, 1700003600);
    EXPECT_EQ(p.window->preset, "");
    // 2023-11-14T22:13:20Z is 1700000000.
    p = parse_window("1h", "2023-11-14T22:13:20", "2023-11-14T23:13", kNow);
    ASSERT_TRUE(p.window) << p.error;
    EXPECT_EQ(p.window->since, 1700000000);
    EXPECT_EQ(p.window->until, 1700003580);
    EXPECT_EQ(utc_input_time(1700000000), "2023-11-14T22:13:20");
}

TEST(DashboardWindow, OneEndGiven) {
    auto p = parse_window(std::nullopt, "", "1700003600", kNow);
    ASSERT_TRUE(p.window);
    EXPECT_EQ(p.window->since, 1700000000);
    p = parse_window(std::nullopt, std::to_string(kNow - 60), std::nullopt, kNow);
    ASSERT_TRUE(p.window);
    EXPECT_EQ(p.window->until, kNow);
}

TEST(DashboardWindow, BadRangesAreRefusedWithALine) {
    EXPECT_EQ(parse_window(std::nullopt, "yesterday", std::nullopt, kNow).error,
              "since \"yesterday\" is neither Unix seconds nor a UTC time like 2026-01-31T13:00");
    EXPECT_FALSE(parse_window(std::nullopt, "2023-02-30T10:00", std::nullopt, kNow).window);
    EXPECT_FALSE(parse_window(std::nullopt, "2023-01-01T10:00Z", std::nullopt, kNow).window);
    EXPECT_EQ(parse_window(std::nullopt, "200", "100", kNow).error,
              "since is after until: choose a start before the end");
    EXPECT_EQ(parse_window(std::nullopt, "0", "3000000", kNow).error,
              "the window is longer than 31 days: choose a shorter one");
}
