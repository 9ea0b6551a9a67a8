#include "pc/server/warning_throttle.hpp"

#include <gtest/gtest.h>

namespace pc::server {
namespace {

using namespace std::chrono_literals;

TEST(WarningThrottle, FirstOfEachWindowIsLoggedWithTheCountSkipped) {
    WarningThrottle throttle(60s);
    const auto t0 = WarningThrottle::Clock::time_point{} + 1000s;
    EXPECT_EQ(throttle.admit(t0), 0u) << "the first one is logged";
    for (int i = 1; i <= 500; ++i) EXPECT_EQ(throttle.admit(t0 + 100ms * i), std::nullopt);
    EXPECT_EQ(throttle.admit(t0 + 59s), std::nullopt);
    EXPECT_EQ(throttle.admit(t0 + 60s), 501u) << "a window later: logged, with what was skipped";
    EXPECT_EQ(throttle.admit(t0 + 61s), std::nullopt);
    EXPECT_EQ(throttle.admit(t0 + 500s), 1u) << "after a quiet spell the next is logged at once";
}

}  // namespace
}  // namespace pc::server
