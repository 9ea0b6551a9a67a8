#include "pc/store/commit_log.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "log_capture.hpp"
#include "pc/io/frame.hpp"
#include "pc/record/codec.hpp"
#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using pc::store::CommitEntry;
using pc::store::FileStore;
using pc::store::StoreOptions;
using Status = pc::store::AppendOutcome::Status;

namespace {

struct Seen {
    std::uint64_t seq;
    std::string identifier, data, index;
    std::uint64_t data_offset, index_offset;
};

std::vector<Seen> entries_of(std::string_view file) {
    std::vector<Seen> out;
    pc::store::for_each_commit_entry(file, [&](std::uint64_t seq, const CommitEntry& e) {
        out.push_back({seq, std::string(e.identifier), std::string(e.data), std::string(e.index),
                       e.data_offset, e.index_offset});
    });
    return out;
}

std::vector<pc::record::Record> tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu 1 2 3\n"}, {ts, "/proc/loadavg", "0.1 0.2 0.3\n"}};
}

std::string expected_lines(std::int64_t from, std::int64_t to) {
    std::string out;
    for (auto ts = from; ts <= to; ++ts) {
        for (const auto& r : tick(ts)) pc::record::encode_record(r, out);
    }
    return out;
}

}  // namespace

TEST(CommitLog, EntriesRoundTrip) {
    std::string file;
    pc::store::append_commit_entry(file, 7, {"web-01", 100, 20, "line\n", "idx\n"});
    pc::store::append_commit_entry(file, 8, {"db", 0, 0, std::string(70000, 'x'), "i\n"});
    auto seen = entries_of(file);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].seq, 7u);
    EXPECT_EQ(seen[0].identifier, "web-01");
    EXPECT_EQ(seen[0].data, "line\n");
    EXPECT_EQ(seen[0].index, "idx\n");
    EXPECT_EQ(seen[0].data_offset, 100u);
    EXPECT_EQ(seen[0].index_offset, 20u);
    EXPECT_EQ(seen[1].data.size(), 70000u);
}

TEST(CommitLog, StopsAtTornCorruptOrStaleEntries) {
    std::string file;
    pc::store::append_commit_entry(file, 1, {"a", 0, 0, "one\n", "i1\n"});
    const auto first = file.size();
    pc::store::append_commit_entry(file, 2, {"a", 4, 3, "two\n", "i2\n"});
    // Torn: every cut inside the second entry leaves only the first, and is told from damage.
    for (std::size_t cut = first; cut < file.size(); ++cut) {
        EXPECT_EQ(entries_of(std::string_view(file).substr(0, cut)).size(), 1u) << cut;
        const auto scan = pc::store::for_each_commit_entry(std::string_view(file).substr(0, cut),
                                                           [](auto, const auto&) {});
        EXPECT_EQ(scan.end, cut == first ? pc::io::FrameEnd::clean : pc::io::FrameEnd::torn_tail)
            << cut;
    }
    // A flipped byte anywhere in the second entry.
    for (std::size_t at = first; at < file.size(); ++at) {
        std::string bad = file;
        bad[at] = static_cast<char>(bad[at] ^ 0x20);
        EXPECT_EQ(entries_of(bad).size(), 1u) << at;
    }
    // An older entry after a newer one (left behind by a failed write) is not replayed.
    std::string stale;
    pc::store::append_commit_entry(stale, 5, {"a", 0, 0, "new\n", "i\n"});
    pc::store::append_commit_entry(stale, 3, {"a", 4, 2, "old\n", "i\n"});
    EXPECT_EQ(entries_of(stale).size(), 1u);
    const auto stale_scan = pc::store::for_each_commit_entry(stale, [](auto, const auto&) {});
    EXPECT_EQ(stale_scan.end, pc::io::FrameEnd::stopped);
    EXPECT_NE(stale_scan.problem.find("older than the one before it"), std::string::npos)
        << stale_scan.problem;
    std::string repeated;
    pc::store::append_commit_entry(repeated, 5, {"a", 0, 0, "new\n", "i\n"});
    pc::store::append_commit_entry(repeated, 5, {"a", 4, 2, "old\n", "i\n"});
    EXPECT_EQ(entries_of(repeated).size(), 1u);
    EXPECT_TRUE(entries_of("").empty());
    EXPECT_TRUE(entries_of(std::string(100, '\0')).empty());
}

// A failed commit log write consumes its seq numbers and is cut back: the next entry follows
// with a gap, and must still be replayed (it was acknowledged). Before, replay stopped at the
// gap and set the acknowledged entries after it aside (found by FaultTest, file_system_fault_test).
TEST(CommitLog, EntriesAfterASeqGapAreReplayed) {
    std::string file;
    pc::store::append_commit_entry(file, 1, {"a", 0, 0, "one\n", "i1\n"});
    pc::store::append_commit_entry(file, 3, {"a", 4, 3, "two\n", "i2\n"});
    pc::store::append_commit_entry(file, 4, {"a", 8, 6, "six\n", "i3\n"});
    const auto scan = pc::store::for_each_commit_entry(file, [](auto, const auto&) {});
    EXPECT_EQ(scan.entries, 3u);
    EXPECT_EQ(scan.valid_bytes, file.size());
    EXPECT_EQ(scan.end, pc::io::FrameEnd::clean);
}

TEST(CommitLog, CleanStopLeavesTheLogEmpty) {
    pc::test::TempDir dir;
    {
        FileStore store(StoreOptions{dir.path() / "data", 16});
        store.wait_until_recovered();  // recovery runs in the background
        ASSERT_EQ(store.append("m", tick(1), "b1").status, Status::stored);
    }
    for (int which = 0; which < 2; ++which) {
        EXPECT_EQ(
            std::filesystem::file_size(pc::store::commit_log_path(dir.path() / "data", which)), 0u);
    }
}

TEST(CommitLog, AcknowledgedBatchesLostFromTheCollectionsAreWrittenAgain) {
    // A child process stores batches for two machines and dies without any cleanup (as with
    // SIGKILL). Then the unsynced collection writes are "lost" (files cut back to nothing):
    // the commit log alone must bring every acknowledged batch back, exactly once.
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int code = 0;
        {
            FileStore store(StoreOptions{datadir, 16});
            store.wait_until_recovered();  // recovery runs in the background
            for (std::int64_t ts = 1; ts <= 5; ++ts) {
                if (store.append("m1", tick(ts), "m1-" + std::to_string(ts)).status !=
                        Status::stored ||
                    store.append("m2", tick(ts), std::nullopt).status != Status::stored) {
                    code = 1;
                }
            }
            ::_exit(code);  // no destructors: the commit log stays as it is
        }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    ASSERT_GT(std::filesystem::file_size(pc::store::commit_log_path(datadir, 0)), 0u);
    for (const char* id : {"m1", "m2"}) {
        std::filesystem::resize_file(datadir / (std::string(id) + ".json"), 0);
        std::filesystem::resize_file(datadir / ".index" / (std::string(id) + ".idx"), 0);
    }

    FileStore store(StoreOptions{datadir, 16});

    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(pc::test::read_file(datadir / "m1.json"), expected_lines(1, 5));
    EXPECT_EQ(pc::test::read_file(datadir / "m2.json"), expected_lines(1, 5));
    ASSERT_EQ(store.machines().size(), 2u);
    EXPECT_EQ(store.machines()[0].records, 10u);
    // The batch_ids came back too: a resend is recognised.
    EXPECT_EQ(store.append("m1", tick(5), "m1-5").status, Status::duplicate);
    EXPECT_EQ(store.append("m1", tick(6), "m1-6").status, Status::stored);
    EXPECT_EQ(pc::test::read_file(datadir / "m1.json"), expected_lines(1, 6));
}

// Issue 19, item 13: a log whose bytes cannot all be replayed was emptied without a word.
TEST(CommitLog, BytesThatCannotBeReplayedAreKeptAsideAndReported) {
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    std::filesystem::create_directories(datadir / ".commit");
    std::filesystem::create_directories(datadir / ".index");
    std::string file;
    pc::store::append_commit_entry(file, 7, {"m", 0, 0, "one\n", ""});
    const std::string damaged = file + "garbage that is not an entry";
    pc::test::write_file(pc::store::commit_log_path(datadir, 0), damaged);
    pc::test::LogCapture logs;
    EXPECT_EQ(pc::store::replay_commit_log(datadir), 1u) << "the valid entry is replayed";
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), "one\n");
    std::vector<std::filesystem::path> aside;
    for (const auto& e : std::filesystem::directory_iterator(datadir / ".damaged"))
        aside.push_back(e.path());
    ASSERT_EQ(aside.size(), 1u);
    EXPECT_EQ(pc::test::read_file(aside[0]), damaged) << "the whole file is kept";
    EXPECT_NE(logs.text().find("cannot be replayed"), std::string::npos) << logs.text();
    EXPECT_NE(logs.text().find(aside[0].string()), std::string::npos) << logs.text();
    EXPECT_EQ(std::filesystem::file_size(pc::store::commit_log_path(datadir, 0)), 0u);
}

// A crash in the middle of a commit log write leaves part of an entry that was never
// acknowledged: the entries before it are replayed, the rest dropped without a copy aside.
TEST(CommitLog, ATornLastEntryIsDroppedWithoutACopyAside) {
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    std::filesystem::create_directories(datadir / ".commit");
    std::filesystem::create_directories(datadir / ".index");
    std::string file;
    pc::store::append_commit_entry(file, 7, {"m", 0, 0, "one\n", ""});
    const auto first = file.size();
    pc::store::append_commit_entry(file, 8, {"m", 4, 0, "two\n", ""});
    pc::test::write_file(pc::store::commit_log_path(datadir, 0), file.substr(0, first + 20));
    pc::test::LogCapture logs;
    EXPECT_EQ(pc::store::replay_commit_log(datadir), 1u);
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), "one\n");
    EXPECT_FALSE(std::filesystem::exists(datadir / ".damaged"));
    EXPECT_NE(logs.text().find("dropped the last 20 bytes, an entry pcd was writing when it "
                               "stopped (never acknowledged)"),
              std::string::npos)
        << logs.text();
    EXPECT_EQ(logs.warnings().size(), 0u) << logs.text();
    EXPECT_EQ(std::filesystem::file_size(pc::store::commit_log_path(datadir, 0)), 0u);
}

// A commit log left by a pcd before the shared frame format (entries starting "PCWL") is
// replayed after the upgrade.
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// An entry as those versions wrote it: "PCWL" u32 length u32 crc-of-the-rest u64 seq
// u64 data_offset u64 index_offset u32 id_len u32 data_len u32 index_len, then the bytes.
std::string legacy_entry(std::uint64_t seq, const CommitEntry& e) {
    std::string out;
    put_le(out, 0x4c574350, 4);
    put_le(out, 48 + e.identifier.size() + e.data.size() + e.index.size(), 4);
    put_le(out, 0, 4);
    put_le(out, seq, 8);
    put_le(out, e.data_offset, 8);
    put_le(out, e.index_offset, 8);
    put_le(out, e.identifier.size(), 4);
    put_le(out, e.data.size(), 4);
    put_le(out, e.index.size(), 4);
    out += e.identifier;
    out += e.data;
    out += e.index;
    const auto crc = pc::io::crc32_of(std::string_view(out).substr(12));
    for (int i = 0; i < 4; ++i)
        out[8 + static_cast<std::size_t>(i)] = static_cast<char>(crc >> (8 * i));
    return out;
}

}  // namespace

TEST(CommitLog, ALogOfAnOlderVersionIsReplayed) {
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    std::filesystem::create_directories(datadir / ".commit");
    std::filesystem::create_directories(datadir / ".index");
    const std::string old = legacy_entry(3, {"m", 0, 0, "one\n", "i1\n"}) +
                            legacy_entry(4, {"m", 4, 3, "two\n", "i2\n"});
    const auto seen = entries_of(old);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].seq, 4u);
    EXPECT_EQ(seen[1].data, "two\n");
    EXPECT_EQ(seen[1].index_offset, 3u);
    EXPECT_TRUE(pc::store::for_each_commit_entry(old, [](auto, const auto&) {}).legacy);

    pc::test::write_file(pc::store::commit_log_path(datadir, 1), old);
    EXPECT_EQ(pc::store::replay_commit_log(datadir), 2u);
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), "one\ntwo\n");
    EXPECT_EQ(pc::test::read_file(datadir / ".index" / "m.idx"), "i1\ni2\n");
    // Its bad end cannot be told from damage: kept aside, as that version did.
    pc::test::write_file(pc::store::commit_log_path(datadir, 1), old + "xx");
    pc::test::LogCapture logs;
    EXPECT_EQ(pc::store::replay_commit_log(datadir), 2u);
    EXPECT_TRUE(std::filesystem::exists(datadir / ".damaged"));
    EXPECT_NE(logs.text().find("cannot be replayed"), std::string::npos) << logs.text();
}

TEST(CommitLog, OnlyACleanStopLeavesTheMarkerAndTheNextStartRemovesIt) {
    pc::test::TempDir dir;
    const auto marker = dir.path() / "data" / ".commit" / "clean-stop";
    {
        FileStore store(StoreOptions{dir.path() / "data", 16});
        store.wait_until_recovered();  // recovery runs in the background
        EXPECT_FALSE(std::filesystem::exists(marker));
        ASSERT_EQ(store.append("m", tick(1), "b1").status, Status::stored);
    }
    EXPECT_TRUE(std::filesystem::exists(marker));
    FileStore again(StoreOptions{dir.path() / "data", 16});
    again.wait_until_recovered();  // recovery runs in the background
    EXPECT_FALSE(std::filesystem::exists(marker)) << "a crash from now on must not look clean";
}

TEST(CommitLog, DataDirectoryOfTheEarlierVersionLoads) {
    // Before the commit log there was no .commit directory: such a directory opens unchanged.
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    {
        FileStore store(StoreOptions{datadir, 16});
        store.wait_until_recovered();  // recovery runs in the background
        ASSERT_EQ(store.append("m", tick(1), "b1").status, Status::stored);
    }
    std::filesystem::remove_all(datadir / ".commit");
    FileStore store(StoreOptions{datadir, 16});
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), expected_lines(1, 1));
    EXPECT_EQ(store.append("m", tick(1), "b1").status, Status::duplicate);
    EXPECT_EQ(store.append("m", tick(2), "b2").status, Status::stored);
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), expected_lines(1, 2));
}

TEST(CommitLog, CheckpointsKeepTheLogBoundedAndLoseNothing) {
    // 40 MiB through a log whose files switch at 16 MiB: both files get checkpointed and
    // emptied while commits go on; every batch is in its collection afterwards.
    pc::test::TempDir dir;
    const auto datadir = dir.path() / "data";
    const std::string big(1 << 20, 'x');
    std::string expected;
    {
        FileStore store(StoreOptions{datadir, 16});
        store.wait_until_recovered();  // recovery runs in the background
        for (std::int64_t ts = 1; ts <= 40; ++ts) {
            std::vector<pc::record::Record> batch = {{ts, "/proc/stat", big}};
            for (const auto& r : batch) pc::record::encode_record(r, expected);
            ASSERT_EQ(store.append("m", batch, "b" + std::to_string(ts)).status, Status::stored);
        }
        auto logged = std::filesystem::file_size(pc::store::commit_log_path(datadir, 0)) +
                      std::filesystem::file_size(pc::store::commit_log_path(datadir, 1));
        EXPECT_LT(logged, 40u << 20);
    }
    EXPECT_EQ(pc::test::read_file(datadir / "m.json"), expected);
    FileStore store(StoreOptions{datadir, 16});
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(store.machines()[0].records, 40u);
    EXPECT_EQ(store.append("m", {{41, "/proc/stat", "x"}}, "b40").status, Status::duplicate);
}
