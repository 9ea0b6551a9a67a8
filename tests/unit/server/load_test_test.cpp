// The load test's one-run-at-a-time rule and its stops (real measurement, levels of 20 ms).
#include "pc/server/load_test.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace {

using namespace std::chrono_literals;
using pc::server::LoadTest;

TEST(LoadTest, RunsAllTenLevels) {
    LoadTest test(20ms);
    EXPECT_EQ(test.total_length(), 200ms);
    auto outcome = test.run(nullptr);
    ASSERT_TRUE(outcome.result);
    EXPECT_TRUE(outcome.result->error.empty());
    EXPECT_EQ(outcome.result->results.size(), 10u);
    EXPECT_FALSE(outcome.busy_seconds_left);
}

TEST(LoadTest, ASecondRunIsRefusedWithTheTimeLeftWhileTheFirstRuns) {
    LoadTest test(300ms);  // 3 s in all
    std::atomic<bool> started{false};
    std::atomic<bool> release{false};
    auto first = std::async(std::launch::async, [&] {
        return test.run([&] {
            started = true;
            return release.load();
        });
    });
    while (!started) std::this_thread::yield();
    auto second = test.run(nullptr);
    EXPECT_FALSE(second.result);
    ASSERT_TRUE(second.busy_seconds_left);
    EXPECT_GE(*second.busy_seconds_left, 1);
    EXPECT_LE(*second.busy_seconds_left, 3);
    release = true;  // the first one's client "hangs up"
    auto done = first.get();
    EXPECT_TRUE(done.client_gone);
    ASSERT_TRUE(done.result);
    EXPECT_EQ(done.result->error, "the client hung up");
    // Free again.
    auto third = test.run([] { return true; });
    EXPECT_FALSE(third.busy_seconds_left);
}

TEST(LoadTest, ShutDownStopsARunAndRefusesLaterOnes) {
    // A whole run would take 10 x 5 s: stopping must end it long before (the bound leaves room
    // for a loaded machine; 0.5 s once failed under a load average of 6 on 2 cores).
    LoadTest test(5s);
    std::atomic<bool> started{false};
    auto run = std::async(std::launch::async, [&] {
        return test.run([&] {
            started = true;
            return false;
        });
    });
    while (!started) std::this_thread::yield();
    const auto t0 = std::chrono::steady_clock::now();
    test.shut_down();
    auto outcome = run.get();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
    ASSERT_TRUE(outcome.result);
    EXPECT_EQ(outcome.result->error, "pcd is stopping");
    EXPECT_FALSE(outcome.client_gone);
    auto later = test.run(nullptr);
    ASSERT_TRUE(later.result);
    EXPECT_EQ(later.result->error, "pcd is stopping");
}

}  // namespace
