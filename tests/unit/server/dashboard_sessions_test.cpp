// The dashboard's session table: tokens, expiry, sign-out, the bound on live sessions.
#include "pc/server/dashboard_sessions.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using pc::server::SessionTable;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
    SessionTable::Clock::time_point now{};
    SessionTable::Now fn() {
        return [this] { return now; };
    }
};

}  // namespace

TEST(DashboardSessions, TokensAre256RandomBitsInHex) {
    SessionTable table(1h);
    std::set<std::string> seen;
    std::array<int, 16> digit_counts{};
    for (int i = 0; i < 200; ++i) {
        const auto token = table.create("fp");
        ASSERT_EQ(token.size(), 64u);
        for (char c : token) {
            ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << token;
            ++digit_counts[static_cast<std::size_t>(c <= '9' ? c - '0' : c - 'a' + 10)];
        }
        EXPECT_TRUE(seen.insert(token).second) << "a token repeated: " << token;
    }
    // 12,800 hex digits: each of the 16 expected 800 times; a broken generator is far off.
    for (int count : digit_counts) {
        EXPECT_GT(count, 600);
        EXPECT_LT(count, 1000);
    }
    EXPECT_EQ(table.size(), 200u);
}

TEST(DashboardSessions, FindsALiveSessionUntilItExpires) {
    FakeClock clock;
    SessionTable table(12h, 100, clock.fn());
    const auto token = table.create("admin-fingerprint");
    auto session = table.find(token);
    ASSERT_TRUE(session);
    EXPECT_EQ(session->key_digest, "admin-fingerprint");
    clock.now += 12h - 1s;
    EXPECT_TRUE(table.find(token));
    clock.now += 1s;
    EXPECT_FALSE(table.find(token)) << "expired at its TTL";
    EXPECT_EQ(table.size(), 0u) << "an expired session is dropped";
}

TEST(DashboardSessions, SignOutEndsOnlyThatSession) {
    SessionTable table(1h);
    const auto a = table.create("a");
    const auto b = table.create("b");
    EXPECT_TRUE(table.end(a));
    EXPECT_FALSE(table.find(a));
    EXPECT_FALSE(table.end(a)) << "already ended";
    EXPECT_TRUE(table.find(b));
}

TEST(DashboardSessions, UnknownMalformedAndAlteredTokensFindNothing) {
    SessionTable table(1h);
    auto token = table.create("a");
    EXPECT_FALSE(table.find(""));
    EXPECT_FALSE(table.find("abc"));
    EXPECT_FALSE(table.find(std::string(64, '0')));
    token[10] = token[10] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(table.find(token));
}

TEST(DashboardSessions, BeyondTheBoundTheSessionClosestToExpiryEnds) {
    FakeClock clock;
    SessionTable table(1h, 2, clock.fn());
    const auto first = table.create("1");
    clock.now += 1min;
    const auto second = table.create("2");
    clock.now += 1min;
    const auto third = table.create("3");
    EXPECT_FALSE(table.find(first));
    EXPECT_TRUE(table.find(second));
    EXPECT_TRUE(table.find(third));
    EXPECT_EQ(table.size(), 2u);
}

TEST(DashboardSessions, SessionsOfARefusedKeyEndAndOthersStay) {
    SessionTable table(1h);
    const auto a1 = table.create("digest-a");
    const auto a2 = table.create("digest-a");
    const auto b = table.create("digest-b");
    std::vector<std::string> asked;
    const auto ended = table.end_if_key_refused([&](std::string_view digest) {
        asked.emplace_back(digest);
        return digest == "digest-b";
    });
    EXPECT_EQ(ended, 2u);
    EXPECT_EQ(asked.size(), 3u);
    EXPECT_FALSE(table.find(a1));
    EXPECT_FALSE(table.find(a2));
    ASSERT_TRUE(table.find(b));
    EXPECT_EQ(table.find(b)->key_digest, "digest-b");
    EXPECT_EQ(table.end_if_key_refused([](std::string_view) { return true; }), 0u);
}
