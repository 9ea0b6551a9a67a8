#include "pc/collect/statfs_probe.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using pc::collect::FsStats;
using pc::collect::StatfsProbe;
using namespace std::chrono_literals;

TEST(StatfsLine, OriginalKeyOrderAndNewline) {
    FsStats s{4096, 12422878, 11563824, 11559728};
    EXPECT_EQ(pc::collect::format_statfs_line("/", s),
              "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":12422878,"
              "\"blocks_free\":11563824,\"blocks_available\":11559728}\n");
}

TEST(StatfsLine, MountPointEscapedLikeGo) {
    FsStats s{512, 1, 2, 3};
    EXPECT_EQ(pc::collect::format_statfs_line("/mnt/a\"b<c", s),
              "{\"mount_point\":\"/mnt/a\\\"b\\u003cc\",\"block_size\":512,\"blocks_total\":1,"
              "\"blocks_free\":2,\"blocks_available\":3}\n");
}

TEST(StatfsProbe, RealStatfsOfRoot) {
    StatfsProbe probe;
    auto r = probe.probe("/");
    ASSERT_EQ(r.status, StatfsProbe::Status::ok);
    EXPECT_GT(r.stats.block_size, 0u);
}

TEST(StatfsProbe, ErrorIsReported) {
    StatfsProbe probe;
    auto r = probe.probe("/definitely/not/a/mount/point");
    EXPECT_EQ(r.status, StatfsProbe::Status::failed);
    EXPECT_EQ(r.error, ENOENT);
}

// A statfs that blocks until released, like a dead NFS server, is skipped after the deadline,
// not called again while still blocked, and used again once it returns.
TEST(StatfsProbe, HungMountIsSkippedUntilItAnswers) {
    struct Gate {
        std::mutex m;
        std::condition_variable cv;
        bool open = false;
        std::atomic<int> calls{0};
    };
    auto gate = std::make_shared<Gate>();
    auto fn = [gate](const std::string& path, FsStats& out) {
        ++gate->calls;
        if (path == "/nfs") {
            std::unique_lock lock(gate->m);
            gate->cv.wait(lock, [&] { return gate->open; });
        }
        out = FsStats{4096, 10, 5, 4};
        return 0;
    };
    StatfsProbe probe(fn, 100ms);
    EXPECT_EQ(probe.probe("/nfs").status, StatfsProbe::Status::timed_out);
    EXPECT_EQ(probe.probe("/local").status, StatfsProbe::Status::ok);
    EXPECT_EQ(probe.probe("/nfs").status, StatfsProbe::Status::still_hung);
    EXPECT_EQ(gate->calls.load(), 2);  // the hung path was not called a second time
    {
        std::lock_guard lock(gate->m);
        gate->open = true;
    }
    gate->cv.notify_all();
    // The blocked call returns soon; bounded wait for the probe to see it.
    StatfsProbe::Result r;
    for (int i = 0; i < 200; ++i) {
        r = probe.probe("/nfs");
        if (r.status != StatfsProbe::Status::still_hung) break;
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(r.status, StatfsProbe::Status::ok);
    EXPECT_EQ(r.stats.blocks_total, 10u);
}

// Calls share one worker thread; after a hang, a fresh worker serves the other paths.
TEST(StatfsProbe, OneWorkerThreadReusedAndReplacedAfterAHang) {
    struct Shared {
        std::mutex m;
        std::condition_variable cv;
        bool open = false;
        std::vector<std::thread::id> threads;
    };
    auto shared = std::make_shared<Shared>();
    auto fn = [shared](const std::string& path, FsStats& out) {
        std::unique_lock lock(shared->m);
        shared->threads.push_back(std::this_thread::get_id());
        if (path == "/nfs") shared->cv.wait(lock, [&] { return shared->open; });
        out = FsStats{4096, 1, 1, 1};
        return 0;
    };
    {
        StatfsProbe probe(fn, 100ms);
        EXPECT_EQ(probe.probe("/a").status, StatfsProbe::Status::ok);
        EXPECT_EQ(probe.probe("/b").status, StatfsProbe::Status::ok);
        EXPECT_EQ(probe.probe("/nfs").status, StatfsProbe::Status::timed_out);
        EXPECT_EQ(probe.probe("/a").status, StatfsProbe::Status::ok);
        EXPECT_EQ(probe.probe("/b").status, StatfsProbe::Status::ok);
        std::lock_guard lock(shared->m);
        ASSERT_EQ(shared->threads.size(), 5u);
        EXPECT_NE(shared->threads[0], std::this_thread::get_id());
        EXPECT_EQ(shared->threads[0], shared->threads[1]);
        EXPECT_EQ(shared->threads[1], shared->threads[2]);  // the hung call ran on the worker
        EXPECT_NE(shared->threads[2], shared->threads[3]);  // a fresh worker after the hang
        EXPECT_EQ(shared->threads[3], shared->threads[4]);
    }
    // The prober is gone; releasing the hung call lets the abandoned worker finish safely.
    {
        std::lock_guard lock(shared->m);
        shared->open = true;
    }
    shared->cv.notify_all();
}
