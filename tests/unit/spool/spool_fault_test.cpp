// The spool under storage faults injected through its FileSystem (FaultFileSystem): a full
// disk, I/O errors, failed syncs and crashes, without root. What must hold: a tick is either
// spooled whole or the append says it failed; nothing spooled is lost or sent as an empty batch.
#include <gtest/gtest.h>

#include <filesystem>

#include "fault_file_system.hpp"
#include "pc/core/error.hpp"
#include "pc/spool/spool.hpp"
#include "test_support.hpp"

using pc::spool::Spool;
using pc::test::Fault;
using pc::test::FaultFileSystem;
using pc::test::FsOp;

namespace {

pc::record::Tick make_tick(int i) {
    return {pc::record::Record{1700000000 + i, "/proc/stat", "cpu  " + std::to_string(i) + "\n"}};
}

std::vector<std::int64_t> timestamps_of(const pc::spool::SpoolBatch& batch) {
    std::vector<std::int64_t> out;
    std::string_view rest = batch.jsonl;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        const auto at = rest.find("\"timestamp\":");
        out.push_back(std::stoll(std::string(rest.substr(at + 12, 10))));
        rest.remove_prefix(newline + 1);
    }
    return out;
}

// Every tick of a spool reopened on the real file system, oldest first.
std::vector<std::int64_t> reopened_timestamps(const std::filesystem::path& dir) {
    Spool spool({dir, 1u << 20, nullptr});
    std::vector<std::int64_t> out;
    while (auto batch = spool.next_batch(100)) {
        EXPECT_GT(batch->ticks, 0u) << "an empty batch";
        if (batch->ticks == 0) break;
        for (auto ts : timestamps_of(*batch)) out.push_back(ts);
        spool.acknowledge(*batch);
    }
    return out;
}

}  // namespace

TEST(SpoolFault, DiskFullOnAppendFailsThatTickAndKeepsTheOthers) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    {
        Spool spool({dir / "s", 1u << 20, files});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
        files->add(Fault{FsOp::write_file_atomic, ".tick", ENOSPC});
        EXPECT_THROW(spool.append(make_tick(3)), std::exception);
        EXPECT_EQ(spool.tick_count(), 3u);
        spool.append(make_tick(4));  // the disk has room again
        EXPECT_EQ(spool.tick_count(), 4u);
    }
    EXPECT_EQ(reopened_timestamps(dir / "s"),
              (std::vector<std::int64_t>{1700000000, 1700000001, 1700000002, 1700000004}));
}

TEST(SpoolFault, CrashWhileWritingATickKeepsEveryEarlierTick) {
    for (const bool after : {false, true}) {
        SCOPED_TRACE(after ? "crash once the file is in place" : "crash before it is");
        pc::test::TempDir dir;
        auto files = std::make_shared<FaultFileSystem>();
        {
            Spool spool({dir / "s", 1u << 20, files});
            for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
            Fault crash{FsOp::write_file_atomic, ".tick"};
            crash.crash = true;
            crash.after = after;
            files->add(crash);
            EXPECT_THROW(spool.append(make_tick(3)), pc::test::SimulatedCrash);
        }
        std::vector<std::int64_t> want{1700000000, 1700000001, 1700000002};
        if (after) want.push_back(1700000003);  // whole, never torn
        Spool probe({dir / "s", 1u << 20, nullptr});
        EXPECT_EQ(probe.recovery().discarded, 0u);
        EXPECT_EQ(probe.tick_count(), want.size());
    }
}

TEST(SpoolFault, ReadErrorWhileFormingABatchLeavesTheSameBatchForLater) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    Spool spool({dir / "s", 1u << 20, files});
    for (int i = 0; i < 4; ++i) spool.append(make_tick(i));
    files->add(Fault{FsOp::read_file, ".tick", EIO});
    EXPECT_THROW(spool.next_batch(3), std::exception);
    const auto batch = spool.next_batch(3);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->ticks, 3u);
    EXPECT_EQ(timestamps_of(*batch),
              (std::vector<std::int64_t>{1700000000, 1700000001, 1700000002}));
    EXPECT_EQ(spool.next_batch(3)->batch_id, batch->batch_id) << "sealed: the same batch_id";
}

// A failed directory sync while acknowledging: the error is reported, and the next batch is the
// next ticks (never an empty batch for the acknowledged seal); a restart finds no seal without
// ticks.
TEST(SpoolFault, FailedSyncWhileAcknowledgingNeverFormsAnEmptyBatch) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    {
        Spool spool({dir / "s", 1u << 20, files});
        for (int i = 0; i < 5; ++i) spool.append(make_tick(i));
        const auto first = spool.next_batch(2);
        ASSERT_TRUE(first);
        files->add(Fault{FsOp::sync_directory, "", EIO});
        EXPECT_THROW(spool.acknowledge(*first), std::exception);
        const auto next = spool.next_batch(2);
        ASSERT_TRUE(next);
        EXPECT_EQ(timestamps_of(*next), (std::vector<std::int64_t>{1700000002, 1700000003}));
    }
    EXPECT_EQ(reopened_timestamps(dir / "s"),
              (std::vector<std::int64_t>{1700000002, 1700000003, 1700000004}));
}

// An I/O error reading a tick at the start is not a torn entry: the file stays for the next
// start instead of being discarded.
TEST(SpoolFault, UnreadableTickAtStartIsLeftInPlaceNotDiscarded) {
    pc::test::TempDir dir;
    {
        Spool spool({dir / "s", 1u << 20, nullptr});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
    }
    auto files = std::make_shared<FaultFileSystem>();
    files->add(Fault{FsOp::read_file, "00000000000000000002.tick", EIO});
    {
        Spool spool({dir / "s", 1u << 20, files});
        EXPECT_EQ(spool.recovery().unreadable, 1u);
        EXPECT_EQ(spool.recovery().discarded, 0u);
        EXPECT_EQ(spool.tick_count(), 2u);
    }
    EXPECT_EQ(reopened_timestamps(dir / "s"),
              (std::vector<std::int64_t>{1700000000, 1700000001, 1700000002}));
}

TEST(SpoolFault, DirectoryThatCannotBeCreatedIsAClearError) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    files->add(Fault{FsOp::create_directories, "", ENOSPC});
    try {
        Spool spool({dir / "new" / "s", 1u << 20, files});
        FAIL() << "opened";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot create spool directory"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos)
            << e.what();
    }
}
