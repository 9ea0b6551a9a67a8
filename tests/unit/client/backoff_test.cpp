#include "pc/client/backoff.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using pc::client::Backoff;
using pc::client::BackoffPolicy;

TEST(Backoff, WithoutJitterDoublesToTheCap) {
    Backoff backoff(BackoffPolicy{1000ms, 60000ms, 2.0, 0.0});
    const std::chrono::milliseconds expected[] = {1000ms,  2000ms,  4000ms,  8000ms, 16000ms,
                                                  32000ms, 60000ms, 60000ms, 60000ms};
    for (auto e : expected) EXPECT_EQ(backoff.next(), e);
    EXPECT_EQ(backoff.attempts(), 9u);
}

TEST(Backoff, ResetStartsOver) {
    Backoff backoff(BackoffPolicy{100ms, 1000ms, 2.0, 0.0});
    backoff.next();
    backoff.next();
    backoff.reset();
    EXPECT_EQ(backoff.attempts(), 0u);
    EXPECT_EQ(backoff.next(), 100ms);
}

TEST(Backoff, JitterStaysWithinBoundsAndVaries) {
    Backoff backoff(BackoffPolicy{1000ms, 60000ms, 2.0, 0.5}, 42);
    std::int64_t base = 1000;
    for (int i = 0; i < 10; ++i) {
        const auto d = backoff.next().count();
        EXPECT_GE(d, base / 2) << "attempt " << i;
        EXPECT_LE(d, base) << "attempt " << i;
        base = std::min<std::int64_t>(base * 2, 60000);
    }
    // Two agents with different seeds do not retry in lockstep.
    Backoff a(BackoffPolicy{}, 1), b(BackoffPolicy{}, 2);
    bool differ = false;
    for (int i = 0; i < 5; ++i) differ |= a.next() != b.next();
    EXPECT_TRUE(differ);
}

TEST(Backoff, SameSeedSameSequence) {
    Backoff a(BackoffPolicy{}, 7), b(BackoffPolicy{}, 7);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(a.next(), b.next());
}
