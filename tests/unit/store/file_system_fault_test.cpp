// The file store under storage faults, injected through its FileSystem (FaultFileSystem)
// without root: disk full, EIO, short writes, failing syncs, and crashes at chosen calls followed
// by a restart on the same directory. Each test checks what is acknowledged, what is on disk and
// what the next start makes of it: every acknowledged record exactly once, nothing else.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fault_file_system.hpp"
#include "log_capture.hpp"
#include "pc/record/codec.hpp"
#include "pc/store/commit_log.hpp"
#include "pc/store/file_store.hpp"
#include "pc/store/trim.hpp"
#include "test_support.hpp"

namespace pc::store {
namespace {

namespace fs = std::filesystem;

using pc::test::Fault;
using pc::test::FaultFileSystem;
using pc::test::FsOp;
using pc::test::LogCapture;
using pc::test::read_file;
using Status = AppendOutcome::Status;

std::vector<record::Record> tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu  " + std::to_string(ts) + " 2 3\n"},
            {ts, "/proc/loadavg", "0.1 0.2 0.3\n"}};
}

// The collection lines of the ticks `stamps`, in order.
std::string lines(const std::vector<std::int64_t>& stamps) {
    std::string out;
    for (auto ts : stamps) {
        for (const auto& r : tick(ts)) record::encode_record(r, out);
    }
    return out;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (auto ts = from; ts <= to; ++ts) out.push_back(ts);
    return out;
}

std::size_t commit_entries(const fs::path& datadir) {
    std::size_t n = 0;
    for (int which = 0; which < 2; ++which) {
        auto path = commit_log_path(datadir, which);
        if (fs::exists(path))
            n += for_each_commit_entry(read_file(path), [](auto, const auto&) {}).entries;
    }
    return n;
}

// Polls `done` until it holds (true) or 20 s pass (false).
template <class Done>
bool eventually(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct FaultTest : ::testing::Test {
    pc::test::TempDir dir;
    std::shared_ptr<FaultFileSystem> faults = std::make_shared<FaultFileSystem>();
    std::unique_ptr<FileStore> store;

    fs::path data() const { return dir.path() / "data"; }
    fs::path json(const std::string& id) const { return data() / (id + ".json"); }
    fs::path idx(const std::string& id) const { return data() / ".index" / (id + ".idx"); }

    // Opens the store on the directory, through the faults or (`real`) the POSIX file system.
    void open(bool real = false) {
        store.reset();
        StoreOptions options{data(), 1024};
        if (!real) options.file_system = faults;
        store = std::make_unique<FileStore>(std::move(options));
        store->wait_until_recovered();
    }
    // The next start after a crash (or a stop): a new store on the same files, no faults.
    void restart() {
        store.reset();
        open(true);
    }
    AppendOutcome append(std::int64_t ts, const std::string& id = "m") {
        return store->append(id, tick(ts), "b-" + std::to_string(ts));
    }
    void fill(std::int64_t from, std::int64_t to) {
        for (auto ts = from; ts <= to; ++ts) ASSERT_EQ(append(ts).status, Status::stored) << ts;
    }
    std::uint64_t records(const std::string& id = "m") const {
        for (const auto& m : store->machines()) {
            if (m.identifier == id) return m.records;
        }
        return 0;
    }
    std::vector<fs::path> damaged() const {
        std::vector<fs::path> out;
        if (!fs::exists(data() / ".damaged")) return out;
        for (const auto& e : fs::directory_iterator(data() / ".damaged")) out.push_back(e.path());
        return out;
    }
};

TEST_F(FaultTest, DiskFullOnACollectionWriteIsRefusedRolledBackAndStoredOnceLater) {
    open();
    fill(1, 1);
    const std::string index_before = read_file(idx("m"));

    const auto full = faults->add({FsOp::write, "m.json", ENOSPC});
    auto out = append(2);
    EXPECT_EQ(out.status, Status::failed);
    EXPECT_TRUE(contains(out.error, "No space left on device")) << out.error;
    EXPECT_EQ(faults->fired(full), 1);
    EXPECT_EQ(read_file(json("m")), lines({1}));
    EXPECT_EQ(read_file(idx("m")), index_before) << "the refused batch was indexed";
    EXPECT_EQ(records(), 2u);

    // The second write of a batch (its index line) fails: the collection write is cut back.
    const auto index_full = faults->add({FsOp::write, "m.idx", ENOSPC});
    EXPECT_EQ(append(2).status, Status::failed);
    EXPECT_EQ(faults->fired(index_full), 1);
    EXPECT_EQ(read_file(json("m")), lines({1})) << "the collection was not rolled back";
    EXPECT_EQ(read_file(idx("m")), index_before);

    // The fault cleared: the resend is stored, once.
    EXPECT_EQ(append(2).status, Status::stored);
    EXPECT_EQ(append(2).status, Status::duplicate);
    EXPECT_EQ(read_file(json("m")), lines({1, 2}));
    restart();
    EXPECT_EQ(read_file(json("m")), lines({1, 2}));
    EXPECT_EQ(records(), 4u);
    EXPECT_EQ(append(2).status, Status::duplicate) << "the batch id was forgotten";
    EXPECT_TRUE(damaged().empty());
}

TEST_F(FaultTest, TheNthWriteFails) {
    open();
    // Writes to m.json: one per batch. The third fails, the others do not.
    const auto third = faults->add({FsOp::write, "m.json", EIO, 2});
    fill(1, 2);
    EXPECT_EQ(append(3).status, Status::failed);
    fill(3, 4);
    EXPECT_EQ(faults->fired(third), 1);
    EXPECT_EQ(faults->calls(FsOp::write, "m.json"), 5u);
    EXPECT_EQ(read_file(json("m")), lines(range(1, 4)));
}

TEST_F(FaultTest, ShortWriteThenErrorLeavesNoTornLine) {
    open();
    fill(1, 1);
    const auto torn = faults->add({FsOp::write, "m.json", EIO, 0, 1, 25});
    EXPECT_EQ(append(2).status, Status::failed);
    EXPECT_EQ(faults->fired(torn), 1);
    EXPECT_EQ(read_file(json("m")), lines({1})) << "the torn part was not cut";
    fill(2, 2);
    EXPECT_EQ(read_file(json("m")), lines({1, 2}));
}

TEST_F(FaultTest, CrashAfterAShortWriteIsRepairedAtTheNextStart) {
    open();
    fill(1, 2);
    Fault crash{FsOp::write, "m.json", EIO, 0, 1, 25};
    crash.crash = true;
    faults->add(crash);
    EXPECT_EQ(append(3).status, Status::failed);
    ASSERT_TRUE(faults->crashed());
    // Frozen at the crash: the torn 25 bytes are still there (the roll back could not run).
    EXPECT_EQ(read_file(json("m")), lines({1, 2}) + lines({3}).substr(0, 25));

    LogCapture log;
    restart();
    EXPECT_EQ(read_file(json("m")), lines({1, 2})) << log.text();
    EXPECT_EQ(log.count("never acknowledged"), 1u) << log.text();
    const auto aside = damaged();
    ASSERT_EQ(aside.size(), 1u);
    EXPECT_EQ(read_file(aside[0]), lines({3}).substr(0, 25));
    // Never acknowledged, so not a duplicate: the resend is stored once.
    EXPECT_EQ(append(3).status, Status::stored);
    EXPECT_EQ(append(3).status, Status::duplicate);
    EXPECT_EQ(read_file(json("m")), lines(range(1, 3)));
    EXPECT_EQ(records(), 6u);
}

TEST_F(FaultTest, FailedCommitLogSyncIsNotAcknowledgedAndTheLogIsReplayedAtTheNextStart) {
    open();
    fill(1, 1);
    const auto eio = faults->add({FsOp::sync_data, "commit-", EIO});
    auto out = append(2);
    EXPECT_EQ(out.status, Status::failed);
    EXPECT_TRUE(contains(out.error, "fdatasync") && contains(out.error, "Input/output error"))
        << out.error;
    EXPECT_EQ(faults->fired(eio), 1);
    EXPECT_EQ(read_file(json("m")), lines({1})) << "an unacknowledged batch stayed";
    EXPECT_EQ(commit_entries(data()), 1u) << "the failed entry was not cut from the log";

    // The error is gone (reported once, as Linux does): the resend is acknowledged once.
    EXPECT_EQ(append(2).status, Status::stored);
    EXPECT_EQ(append(2).status, Status::duplicate);
    fill(3, 3);

    // A crash at the final checkpoint: the commit log is all the next start has.
    Fault crash{FsOp::sync_filesystem};
    crash.crash = true;
    faults->add(crash);
    store.reset();
    ASSERT_TRUE(faults->crashed());
    EXPECT_FALSE(fs::exists(data() / ".commit" / "clean-stop"));
    EXPECT_EQ(commit_entries(data()), 3u) << "every acknowledged batch is in the log";

    LogCapture log;
    open(true);
    EXPECT_EQ(log.count("wrote 3 batch(es) from the commit log"), 1u) << log.text();
    EXPECT_EQ(log.count("cannot be replayed"), 0u) << log.text();
    EXPECT_EQ(read_file(json("m")), lines(range(1, 3)));
    EXPECT_EQ(records(), 6u);
    EXPECT_EQ(commit_entries(data()), 0u);
    EXPECT_EQ(append(2).status, Status::duplicate);
}

TEST_F(FaultTest, FsyncFailureAtACheckpointIsStickyAndTheLogIsKept) {
    open();
    fill(1, 4);
    // A trim checkpoints the commit log first (CommitPause): the collection's fdatasync fails.
    const auto eio = faults->add({FsOp::sync_data, "m.json", EIO});
    EXPECT_THROW(store->trim("m", 3), std::system_error);
    EXPECT_EQ(faults->fired(eio), 1);
    // Sticky: a second sync would not report the lost write-back again, so none is trusted.
    try {
        store->trim("m", 3);
        FAIL() << "a trim ran after a failed checkpoint";
    } catch (const std::runtime_error& ex) {
        EXPECT_TRUE(contains(ex.what(), "a checkpoint failed")) << ex.what();
    }
    // Appends go on (the log holds them until the hard limit).
    fill(5, 5);
    EXPECT_EQ(read_file(json("m")), lines(range(1, 5))) << "a trim removed something";

    {
        LogCapture log;
        store.reset();
        EXPECT_EQ(log.count("final checkpoint failed (an earlier checkpoint failed)"), 1u)
            << log.text();
    }
    EXPECT_FALSE(fs::exists(data() / ".commit" / "clean-stop"));
    EXPECT_EQ(commit_entries(data()), 5u);

    LogCapture log;
    open(true);
    EXPECT_EQ(log.count("wrote 5 batch(es) from the commit log"), 1u) << log.text();
    EXPECT_EQ(read_file(json("m")), lines(range(1, 5)));
    EXPECT_EQ(records(), 10u);
    auto trimmed = store->trim("m", 3);
    ASSERT_TRUE(trimmed);
    EXPECT_EQ(trimmed->batches, 2u);
    EXPECT_EQ(read_file(json("m")), lines(range(3, 5)));
}

TEST_F(FaultTest, FailedBackgroundCheckpointIsStickyAndLosesNothing) {
    open();
    // Batches of about 1 MiB: the 17th fills the active commit log file past its switch size
    // (16 MiB), so the next group hands it to the checkpointer, whose fdatasync fails.
    const std::string payload(1 << 20, 'x');
    auto big = [&](std::int64_t ts) {
        return std::vector<record::Record>{{ts, "/proc/stat", payload + std::to_string(ts)}};
    };
    const auto eio = faults->add({FsOp::sync_data, "big.json", EIO});
    LogCapture log;
    std::string expected;
    for (std::int64_t ts = 1; ts <= 18; ++ts) {
        ASSERT_EQ(store->append("big", big(ts), "b-" + std::to_string(ts)).status, Status::stored)
            << ts;
        for (const auto& r : big(ts)) record::encode_record(r, expected);
    }
    ASSERT_TRUE(eventually([&] { return log.count("checkpoint failed") > 0; })) << log.text();
    EXPECT_EQ(faults->fired(eio), 1);
    EXPECT_EQ(log.count("the commit log is kept and replayed at the next start"), 1u);
    // Sticky: no checkpoint is trusted again in this run.
    EXPECT_THROW(store->trim("big", 100), std::runtime_error);
    EXPECT_EQ(store->append("big", big(19), "b-19").status, Status::stored);
    for (const auto& r : big(19)) record::encode_record(r, expected);
    store.reset();
    EXPECT_EQ(commit_entries(data()), 19u) << "the failed checkpoint emptied the log";

    open(true);
    EXPECT_EQ(log.count("wrote 19 batch(es) from the commit log"), 1u) << log.text();
    EXPECT_EQ(read_file(json("big")), expected);
    EXPECT_EQ(records("big"), 19u);
    EXPECT_EQ(commit_entries(data()), 0u);
}

TEST_F(FaultTest, FailedFinalSyncfsKeepsTheCommitLog) {
    open();
    fill(1, 3);
    const auto eio = faults->add({FsOp::sync_filesystem, "", EIO});
    {
        LogCapture log;
        store.reset();
        EXPECT_EQ(log.count("final checkpoint failed"), 1u) << log.text();
    }
    EXPECT_EQ(faults->fired(eio), 1);
    EXPECT_FALSE(fs::exists(data() / ".commit" / "clean-stop"));
    EXPECT_EQ(commit_entries(data()), 3u);
    restart();
    EXPECT_EQ(read_file(json("m")), lines(range(1, 3)));
    EXPECT_EQ(records(), 6u);
}

// Where a trim can crash, and what the next start must make of it.
struct TrimCrash {
    const char* name;
    Fault fault;
    bool committed;  // the commit point (the new index written) was reached
};

class TrimCrashTest : public FaultTest, public ::testing::WithParamInterface<TrimCrash> {};

Fault crash_at(FsOp op, const char* path, bool after) {
    Fault f{op, path};
    f.after = after;
    f.crash = true;
    return f;
}

INSTANTIATE_TEST_SUITE_P(
    Points, TrimCrashTest,
    ::testing::Values(
        TrimCrash{"WritingTheNewIndex", crash_at(FsOp::write_file_atomic, ".idx.trim", false),
                  false},
        TrimCrash{"BetweenIndexWriteAndRename",
                  crash_at(FsOp::write_file_atomic, ".idx.trim", true), true},
        TrimCrash{"RenamingTheData", crash_at(FsOp::rename, "m.json.trim", false), true},
        TrimCrash{"RenamingTheIndex", crash_at(FsOp::rename, "m.idx.trim", false), true}),
    [](const auto& point) { return std::string(point.param.name); });

TEST_P(TrimCrashTest, TheNextStartFinishesOrDiscardsTheTrim) {
    open();
    fill(1, 6);
    faults->add(GetParam().fault);
    EXPECT_THROW(store->trim("m", 4), std::system_error);
    ASSERT_TRUE(faults->crashed());

    LogCapture log;
    restart();
    const auto kept = GetParam().committed ? range(4, 6) : range(1, 6);
    EXPECT_EQ(read_file(json("m")), lines(kept)) << log.text();
    EXPECT_EQ(log.count(GetParam().committed ? "finished a trim" : "discarded a trim"), 1u)
        << log.text();
    EXPECT_FALSE(fs::exists(trim_data_path(json("m"))));
    EXPECT_FALSE(fs::exists(trim_index_path(idx("m"))));
    EXPECT_EQ(log.count("disagrees"), 0u) << "the index did not match: " << log.text();
    EXPECT_EQ(records(), 2 * kept.size());
    // Every acknowledged batch exactly once, before and after the crash.
    EXPECT_EQ(append(6).status, Status::duplicate);
    fill(7, 7);
    auto all = kept;
    all.push_back(7);
    EXPECT_EQ(read_file(json("m")), lines(all));
    restart();
    EXPECT_EQ(read_file(json("m")), lines(all));
    EXPECT_EQ(records(), 2 * all.size());
}

TEST_F(FaultTest, EioReadingTheIndexAtRecoveryIsAClearErrorAndKeepsTheFiles) {
    open(true);
    fill(1, 3);
    store.reset();  // a clean stop
    const std::string data_before = read_file(json("m"));
    const std::string index_before = read_file(idx("m"));

    const auto eio = faults->add({FsOp::read, "m.idx", EIO, 0, -1});
    LogCapture log;
    open();
    EXPECT_GE(faults->fired(eio), 1);
    EXPECT_GE(
        log.count("store: m: cannot open or recover its collection: read: Input/output error"), 1u)
        << log.text();
    auto listed = store->machines();
    ASSERT_EQ(listed.size(), 1u) << "a machine that cannot be read is still listed";
    EXPECT_EQ(listed[0].identifier, "m");
    auto out = append(4);
    EXPECT_EQ(out.status, Status::failed);
    EXPECT_TRUE(contains(out.error, "Input/output error")) << out.error;
    EXPECT_THROW(store->read("m", TimeRange{}), std::system_error);
    EXPECT_EQ(read_file(json("m")), data_before);
    EXPECT_EQ(read_file(idx("m")), index_before);
    EXPECT_TRUE(damaged().empty()) << "a read error was taken for damage";

    faults->clear();
    EXPECT_EQ(append(4).status, Status::stored);
    EXPECT_EQ(append(3).status, Status::duplicate);
    EXPECT_EQ(read_file(json("m")), lines(range(1, 4)));
    EXPECT_EQ(records(), 8u);
}

TEST_F(FaultTest, DiskFullCreatingANewMachinesFilesIsRefusedAndStoredOnceLater) {
    open();
    fill(1, 1);  // also ends a storage outage an earlier test left open (process-wide)
    LogCapture log;
    // The index is created first, then the collection: that one fails.
    const auto full = faults->add({FsOp::open, "new.json", ENOSPC});
    auto out = append(1, "new");
    EXPECT_EQ(out.status, Status::failed);
    EXPECT_TRUE(contains(out.error, "open " + json("new").string()) &&
                contains(out.error, "No space left on device"))
        << out.error;
    EXPECT_EQ(faults->fired(full), 1);
    EXPECT_FALSE(fs::exists(json("new")));
    EXPECT_EQ(log.count("until storage recovers"), 1u) << log.text();
    EXPECT_EQ(append(2).status, Status::stored) << "another machine was refused";

    EXPECT_EQ(append(1, "new").status, Status::stored);
    EXPECT_EQ(append(1, "new").status, Status::duplicate);
    EXPECT_EQ(read_file(json("new")), lines({1}));
    restart();
    EXPECT_EQ(read_file(json("new")), lines({1}));
    EXPECT_EQ(records("new"), 2u);
    EXPECT_EQ(records("m"), 4u);
    EXPECT_TRUE(damaged().empty());
}

}  // namespace
}  // namespace pc::store

namespace pc::store {
namespace {

// A write fails after a part of it landed, and cutting it back fails too: the next, shorter
// batch must not leave the rest of those never-acknowledged bytes behind it.
TEST_F(FaultTest, LeftoversOfAFailedRollBackAreCutByTheNextWrite) {
    open();
    fill(1, 1);
    const std::size_t long_batch = lines({1000000}).size();
    const auto torn =
        faults->add({FsOp::write, "m.json", EIO, 0, 1, long_batch - 1});  // all but one byte
    const auto stuck = faults->add({FsOp::truncate, "m.json", EIO});
    EXPECT_EQ(append(1000000).status, Status::failed);
    EXPECT_EQ(faults->fired(torn), 1);
    EXPECT_EQ(faults->fired(stuck), 1);
    ASSERT_GT(read_file(json("m")).size(), lines({1}).size()) << "the roll back did not fail";
    fill(2, 2);  // shorter than what was left
    EXPECT_EQ(read_file(json("m")), lines({1, 2}));
    restart();
    EXPECT_EQ(read_file(json("m")), lines({1, 2}));
    EXPECT_EQ(records(), 4u);
    EXPECT_TRUE(damaged().empty()) << "the index was rebuilt: leftovers were taken for data";
    EXPECT_EQ(append(2).status, Status::duplicate);
}

// The same, and pcd stops before another batch comes: the stop cuts the leftovers.
TEST_F(FaultTest, LeftoversOfAFailedRollBackAreCutAtTheStop) {
    open();
    fill(1, 1);
    faults->add({FsOp::write, "m.json", EIO, 0, 1, lines({2}).size() - 1});
    faults->add({FsOp::truncate, "m.json", EIO});
    EXPECT_EQ(append(2).status, Status::failed);
    restart();
    EXPECT_EQ(read_file(json("m")), lines({1}));
    EXPECT_TRUE(damaged().empty());
    EXPECT_EQ(append(2).status, Status::stored);
}

}  // namespace
}  // namespace pc::store
