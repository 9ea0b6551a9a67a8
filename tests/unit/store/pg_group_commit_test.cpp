// PgGroupCommit without a database: batches that arrive while a group commits form the next
// group, each caller gets its own batch's answer, a failing commit fails only its group, and
// the limits on groups in flight and group size hold.
#include "pc/store/pg_group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using pc::store::PgError;
using pc::store::PgGroupCommit;
using pc::store::PgPendingAppend;

namespace {

void wait_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out";
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// A commit callback that holds its first group until released, and records group sizes.
struct HeldCommit {
    std::mutex mutex;
    std::condition_variable released_cv;
    bool released = false;
    bool holding = false;
    std::vector<std::size_t> sizes;

    void operator()(std::span<PgPendingAppend* const> group) {
        std::unique_lock lock(mutex);
        sizes.push_back(group.size());
        if (sizes.size() == 1) {
            holding = true;
            released_cv.wait(lock, [&] { return released; });
        }
        for (auto* p : group) p->status = "stored:" + p->identifier;
    }
    void release() {
        std::lock_guard lock(mutex);
        released = true;
        released_cv.notify_all();
    }
    bool is_holding() {
        std::lock_guard lock(mutex);
        return holding;
    }
};

}  // namespace

TEST(PgGroupCommit, BatchesQueuedWhileAGroupCommitsFormTheNextGroup) {
    HeldCommit held;
    PgGroupCommit groups([&](auto group) { held(group); }, 1, 256, 1 << 20);
    PgPendingAppend first;
    first.identifier = "first";
    std::thread leader([&] { groups.submit(first); });
    wait_until([&] { return held.is_holding(); });
    std::vector<PgPendingAppend> later(10);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < later.size(); ++i) {
        later[i].identifier = "m" + std::to_string(i);
        senders.emplace_back([&, i] { groups.submit(later[i]); });
    }
    wait_until([&] { return groups.queued() == 10; });
    held.release();
    leader.join();
    for (auto& t : senders) t.join();
    EXPECT_EQ(first.status, "stored:first");
    for (std::size_t i = 0; i < later.size(); ++i) {
        EXPECT_EQ(later[i].status, "stored:m" + std::to_string(i));
        EXPECT_FALSE(later[i].error);
    }
    EXPECT_EQ(held.sizes, (std::vector<std::size_t>{1, 10}));
    EXPECT_EQ(groups.groups(), 2u);
    EXPECT_EQ(groups.batches(), 11u);
    EXPECT_EQ(groups.queued(), 0u);
}

TEST(PgGroupCommit, AGroupIsCutAtItsBatchAndByteLimits) {
    HeldCommit held;
    PgGroupCommit groups([&](auto group) { held(group); }, 1, 4, 100);
    PgPendingAppend first;
    std::thread leader([&] { groups.submit(first); });
    wait_until([&] { return held.is_holding(); });
    // Ten small batches (by count: 4 + 4 + 2), then one over the byte limit, alone.
    std::vector<PgPendingAppend> later(11);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < later.size(); ++i) {
        later[i].lines = std::string(i == 10 ? 500 : 10, 'x');
        senders.emplace_back([&, i] { groups.submit(later[i]); });
        wait_until([&] { return groups.queued() == i + 1; });  // queued in this order
    }
    held.release();
    leader.join();
    for (auto& t : senders) t.join();
    EXPECT_EQ(held.sizes, (std::vector<std::size_t>{1, 4, 4, 2, 1}));
    for (const auto& p : later) EXPECT_FALSE(p.status.empty());
}

TEST(PgGroupCommit, AFailingCommitFailsEveryBatchOfItsGroupOnly) {
    std::atomic<int> calls{0};
    PgGroupCommit groups(
        [&](std::span<PgPendingAppend* const> group) {
            if (calls++ == 0) throw PgError("server closed the connection", "", true);
            for (auto* p : group) p->status = "stored";
        },
        1, 256, 1 << 20);
    PgPendingAppend a, b;
    groups.submit(a);
    ASSERT_TRUE(a.error);
    EXPECT_TRUE(a.error->connection_lost());
    EXPECT_TRUE(a.status.empty());
    groups.submit(b);
    EXPECT_EQ(b.status, "stored");
    EXPECT_FALSE(b.error);
    // A callback that answers for some batches only: the others get an error, not silence.
    PgGroupCommit partial([](std::span<PgPendingAppend* const>) {}, 1, 256, 1 << 20);
    PgPendingAppend c;
    partial.submit(c);
    ASSERT_TRUE(c.error);
    EXPECT_NE(std::string(c.error->what()).find("not stored"), std::string::npos);
}

TEST(PgGroupCommit, ManySendersAllGetAnswersWithGroupsInFlightBounded) {
    std::atomic<int> in_flight{0}, most{0};
    PgGroupCommit groups(
        [&](std::span<PgPendingAppend* const> group) {
            const int now = ++in_flight;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            for (auto* p : group) p->status = p->identifier;
            --in_flight;
        },
        2, 8, 1 << 20);
    std::vector<std::thread> senders;
    std::atomic<int> right{0};
    for (int t = 0; t < 16; ++t) {
        senders.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                PgPendingAppend p;
                p.identifier = std::to_string(t) + "/" + std::to_string(i);
                groups.submit(p);
                if (p.status == p.identifier && !p.error) right++;
            }
        });
    }
    for (auto& t : senders) t.join();
    EXPECT_EQ(right, 16 * 50);
    EXPECT_LE(most, 2);
    EXPECT_EQ(groups.batches(), 16u * 50u);
    EXPECT_LT(groups.groups(), groups.batches());  // batches did share groups
}
