#include "pc/server/timestamp_window.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "pc/core/error.hpp"

using pc::record::Record;
using pc::server::find_outside;
using pc::server::TimestampWindow;

namespace {

constexpr std::int64_t kNow = 1'780'000'000;  // 2026-05-28

std::vector<Record> records(std::initializer_list<std::int64_t> timestamps) {
    std::vector<Record> out;
    for (auto t : timestamps) out.push_back({t, "/proc/stat", "cpu  1 2 3\n"});
    return out;
}

}  // namespace

TEST(TimestampWindow, DefaultRefusesBefore2000AndMoreThanADayAhead) {
    const TimestampWindow window;
    EXPECT_EQ(find_outside(window, records({946684800, kNow, kNow + 86400}), kNow), std::nullopt);

    auto old = find_outside(window, records({kNow, 946684799}), kNow);
    ASSERT_TRUE(old);
    EXPECT_NE(old->find("record 2 (/proc/stat) has timestamp 946684799"), std::string::npos)
        << *old;
    EXPECT_NE(old->find("2000-01-01T00:00:00Z"), std::string::npos) << *old;
    EXPECT_NE(old->find("PCD_MIN_TIMESTAMP"), std::string::npos) << *old;

    // The attack of issue 19: one record dated 2100 would have hidden the machine's real ones.
    auto future = find_outside(window, records({4'102'444'800}), kNow);
    ASSERT_TRUE(future);
    EXPECT_NE(future->find("PCD_MAX_AHEAD"), std::string::npos) << *future;
    EXPECT_NE(future->find("24h0m0s ahead"), std::string::npos) << *future;
    EXPECT_TRUE(find_outside(window, records({kNow + 86401}), kNow));

    const auto extremes = records({std::numeric_limits<std::int64_t>::min()});
    EXPECT_TRUE(find_outside(window, extremes, kNow));
    EXPECT_TRUE(find_outside(window, records({std::numeric_limits<std::int64_t>::max()}), kNow));
}

TEST(TimestampWindow, EachBoundCanBeSetOrTurnedOff) {
    auto w =
        pc::server::parse_timestamp_window("none", "none", "PCD_MIN_TIMESTAMP", "PCD_MAX_AHEAD");
    EXPECT_EQ(find_outside(w, records({1, 2, std::numeric_limits<std::int64_t>::max()}), kNow),
              std::nullopt);
    w = pc::server::parse_timestamp_window(" 100 ", "1m", "--min-timestamp", "--max-ahead");
    EXPECT_EQ(w.oldest, 100);
    EXPECT_EQ(w.max_ahead, 60);
    EXPECT_FALSE(find_outside(w, records({100, kNow + 60}), kNow));
    EXPECT_TRUE(find_outside(w, records({99}), kNow));
    EXPECT_TRUE(find_outside(w, records({kNow + 61}), kNow));
    // A huge allowance saturates instead of wrapping around.
    w = pc::server::parse_timestamp_window("0", "2562047h", "a", "b");
    EXPECT_FALSE(find_outside(w, records({std::numeric_limits<std::int64_t>::max()}),
                              std::numeric_limits<std::int64_t>::max() - 5));

    for (auto [oldest, ahead, named] :
         {std::tuple{"yesterday", "1h", "--min-timestamp"}, std::tuple{"1", "1 day", "--max-ahead"},
          std::tuple{"", "1h", "--min-timestamp"}, std::tuple{"1", "-5m", "--max-ahead"}}) {
        try {
            pc::server::parse_timestamp_window(oldest, ahead, "--min-timestamp", "--max-ahead");
            ADD_FAILURE() << oldest << " " << ahead;
        } catch (const pc::core::UsageError& e) {
            EXPECT_TRUE(std::string(e.what()).starts_with(named)) << e.what();
        }
    }
}
