#include "pc/core/duration.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

using namespace std::chrono_literals;

TEST(Duration, ParsesGoSyntax) {
    EXPECT_EQ(pc::core::parse_duration("24h"), pc::core::Duration(24h));
    EXPECT_EQ(pc::core::parse_duration("1h30m"), pc::core::Duration(90min));
    EXPECT_EQ(pc::core::parse_duration("500ms"), pc::core::Duration(500ms));
    EXPECT_EQ(pc::core::parse_duration("10s"), pc::core::Duration(10s));
    EXPECT_EQ(pc::core::parse_duration("630s"), pc::core::Duration(630s));
    EXPECT_EQ(pc::core::parse_duration("70m"), pc::core::Duration(70min));
    EXPECT_EQ(pc::core::parse_duration("1.5s"), pc::core::Duration(1500ms));
    EXPECT_EQ(pc::core::parse_duration("2us"), pc::core::Duration(2us));
    EXPECT_EQ(pc::core::parse_duration("3ns"), pc::core::Duration(3ns));
    EXPECT_EQ(pc::core::parse_duration("0"), pc::core::Duration(0));
    EXPECT_EQ(pc::core::parse_duration("-1m"), pc::core::Duration(-1min));
}

TEST(Duration, RejectsMalformed) {
    for (const char* bad : {"", "10", "s", "10x", "1h30", "abc", "1..5s", "+", "9999999999999h"}) {
        EXPECT_FALSE(pc::core::parse_duration(bad).has_value()) << bad;
    }
}

TEST(Duration, ErrorNamesVariableAndExample) {
    try {
        pc::core::parse_duration_or_throw("ten", "PCC_FREQUENCY");
        FAIL() << "expected UserError";
    } catch (const pc::core::UserError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("PCC_FREQUENCY"), std::string::npos);
        EXPECT_NE(msg.find("10s"), std::string::npos);
        EXPECT_EQ(msg.find('\n'), std::string::npos);
    }
}

TEST(Duration, FormatsLikeGo) {
    EXPECT_EQ(pc::core::format_duration(70min), "1h10m0s");
    EXPECT_EQ(pc::core::format_duration(630s), "10m30s");
    EXPECT_EQ(pc::core::format_duration(500ms), "500ms");
    EXPECT_EQ(pc::core::format_duration(1500ms), "1.5s");
    EXPECT_EQ(pc::core::format_duration(pc::core::Duration(0)), "0s");
}

// Found by fuzz_duration: fractions were off by one nanosecond ("33.6s" -> 33599999999ns).
TEST(Duration, FractionsAreExactAndRoundTrip) {
    EXPECT_EQ(pc::core::parse_duration("33.6s"), pc::core::Duration(33600ms));
    EXPECT_EQ(pc::core::parse_duration(".56m"), pc::core::Duration(33600ms));
    EXPECT_EQ(pc::core::parse_duration("1.000000001s"), pc::core::Duration(1000000001ns));
    for (auto d :
         {pc::core::Duration(33600ms), pc::core::Duration(1100ms), pc::core::Duration(2500us)}) {
        EXPECT_EQ(pc::core::parse_duration(pc::core::format_duration(d)), d);
    }
}
