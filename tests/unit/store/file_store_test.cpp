#include "pc/store/file_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "log_capture.hpp"
#include "pc/io/frame.hpp"
#include "pc/store/collection_filter.hpp"
#include "test_support.hpp"

using pc::record::Record;
using pc::store::AppendOutcome;
using pc::store::FileStore;
using pc::store::StoreOptions;
using Status = AppendOutcome::Status;

namespace {

// Where each entry of an index file starts (its frames), and its size at the end.
std::vector<std::size_t> index_entry_starts(const std::string& index) {
    std::vector<std::size_t> starts;
    const auto scan = pc::io::scan_frames(index, [&](std::string_view, std::size_t offset) {
        starts.push_back(offset);
        return true;
    });
    starts.push_back(scan.valid_bytes);
    return starts;
}

StoreOptions options(const std::filesystem::path& dir, std::size_t window = 1024) {
    return StoreOptions{dir / "data", window};
}

std::vector<pc::record::Record> tick(std::int64_t ts, const std::string& text) {
    return {{ts, "/proc/stat", text}, {ts, "/proc/meminfo", "MemTotal: 1 kB\n"}};
}

std::string data_file(const pc::test::TempDir& dir, const std::string& id) {
    return pc::test::read_file(dir.path() / "data" / (id + ".json"));
}

void append_raw(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary | std::ios::app);
    f << bytes;
}

// A stop that was not clean: pcd writes this marker only after its final checkpoint.
void forget_clean_stop(const pc::test::TempDir& dir) {
    std::filesystem::remove(dir.path() / "data" / ".commit" / "clean-stop");
}

std::vector<std::filesystem::path> kept_aside(const pc::test::TempDir& dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir.path() / "data" / ".damaged", ec))
        out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t count_lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST(Store, StoresRecordsInTheCollectionFormat) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    auto out = store.append("host-1", {{1700000000, "/proc/stat", "cpu  1 2\n"}}, std::nullopt);
    EXPECT_EQ(out.status, Status::stored);
    EXPECT_EQ(data_file(dir, "host-1"),
              "{\"timestamp\":1700000000,\"subsystem\":\"/proc/stat\",\"measurement\":\"cpu  1 "
              "2\\n\"}\n");
    auto machines = store.machines();
    ASSERT_EQ(machines.size(), 1u);
    EXPECT_EQ(machines[0].identifier, "host-1");
    EXPECT_EQ(machines[0].records, 1u);
    EXPECT_EQ(machines[0].first_timestamp, 1700000000);
    EXPECT_EQ(machines[0].bytes, data_file(dir, "host-1").size());
    EXPECT_GT(machines[0].last_seen, 0);
}

TEST(Store, RejectsInvalidIdentifiers) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    for (const char* bad : {"../etc", "a/b", ".hidden", "", "x y"}) {
        EXPECT_THROW(store.append(bad, tick(1, "a"), std::nullopt), std::invalid_argument) << bad;
    }
    EXPECT_EQ(store.machine_count(), 0u);
}

TEST(Store, BatchIdIsStoredOnceAlsoAfterRestart) {
    pc::test::TempDir dir;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();  // recovery runs in the background
        EXPECT_EQ(store.append("m", tick(1, "a"), "b-1").status, Status::stored);
        EXPECT_EQ(store.append("m", tick(1, "a"), "b-1").status, Status::duplicate);
        EXPECT_EQ(store.append("m", tick(2, "b"), std::nullopt).status, Status::stored);
        EXPECT_EQ(store.append("m", tick(2, "b"), std::nullopt).status, Status::stored)
            << "requests without batch_id are always stored";
        EXPECT_EQ(store.append("other", tick(1, "a"), "b-1").status, Status::stored)
            << "batch_ids are per machine";
    }
    FileStore reopened(options(dir.path()));
    reopened.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(reopened.append("m", tick(1, "a"), "b-1").status, Status::duplicate);
    EXPECT_EQ(count_lines(data_file(dir, "m")), 6u);
    EXPECT_EQ(reopened.machines()[0].records, 6u);
}

TEST(Store, DedupWindowIsBounded) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path(), 2));
    store.wait_until_recovered();  // recovery runs in the background
    store.append("m", tick(1, "a"), "b-1");
    store.append("m", tick(2, "a"), "b-2");
    store.append("m", tick(3, "a"), "b-3");
    EXPECT_EQ(store.append("m", tick(3, "a"), "b-3").status, Status::duplicate);
    EXPECT_EQ(store.append("m", tick(1, "a"), "b-1").status, Status::stored);
}

TEST(Store, TornTailIsCutOnRestart) {
    pc::test::TempDir dir;
    std::string good;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();  // recovery runs in the background
        store.append("m", tick(1, "a"), "b-1");
        store.append("m", tick(2, "b"), "b-2");
        good = data_file(dir, "m");
    }
    // A crash while writing the next batch: part of a line, no index entry.
    forget_clean_stop(dir);
    append_raw(dir.path() / "data" / "m.json", "{\"timestamp\":3,\"subsys");
    FileStore reopened(options(dir.path()));
    reopened.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(data_file(dir, "m"), good);
    EXPECT_EQ(reopened.machines()[0].records, 4u);
    ASSERT_EQ(kept_aside(dir).size(), 1u) << "the cut bytes are kept";
    EXPECT_EQ(pc::test::read_file(kept_aside(dir)[0]), "{\"timestamp\":3,\"subsys");
    EXPECT_EQ(reopened.append("m", tick(3, "c"), "b-3").status, Status::stored);
    EXPECT_EQ(count_lines(data_file(dir, "m")), 6u);
}

TEST(Store, UnacknowledgedBatchWithoutIndexEntryIsCutAndAResendStored) {
    // Crash after the data reached the disk but before its index entry did: the batch was never
    // acknowledged, so it is removed and the client's resend is stored (once).
    pc::test::TempDir dir;
    std::string before;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();  // recovery runs in the background
        store.append("m", tick(1, "a"), "b-1");
        before = data_file(dir, "m");
        store.append("m", tick(2, "b"), "b-2");
    }
    auto idx = dir.path() / "data" / ".index" / "m.idx";
    auto entries = pc::test::read_file(idx);
    pc::test::write_file(idx, entries.substr(0, index_entry_starts(entries)[1]));
    forget_clean_stop(dir);
    FileStore reopened(options(dir.path()));
    reopened.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(data_file(dir, "m"), before);
    EXPECT_EQ(reopened.append("m", tick(2, "b"), "b-2").status, Status::stored);
    EXPECT_EQ(reopened.append("m", tick(2, "b"), "b-2").status, Status::duplicate);
    EXPECT_EQ(count_lines(data_file(dir, "m")), 4u);
}

TEST(Store, IndexEntryWhoseDataIsMissingOrCorruptIsDropped) {
    // Crash after the index entry reached the disk but the data did not (fully).
    pc::test::TempDir dir;
    std::string before;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();  // recovery runs in the background
        store.append("m", tick(1, "a"), "b-1");
        before = data_file(dir, "m");
        store.append("m", tick(2, "b"), "b-2");
    }
    auto data = dir.path() / "data" / "m.json";
    auto full = pc::test::read_file(data);
    // Same length, different bytes in the second batch: the CRC catches it.
    auto corrupt = full;
    corrupt[before.size() + 5] ^= 1;
    pc::test::write_file(data, corrupt);
    forget_clean_stop(dir);
    {
        FileStore reopened(options(dir.path()));
        reopened.wait_until_recovered();  // recovery runs in the background
        EXPECT_EQ(data_file(dir, "m"), before);
        EXPECT_EQ(reopened.append("m", tick(2, "b"), "b-2").status, Status::stored);
    }
    EXPECT_EQ(data_file(dir, "m"), full);
    // Data shorter than the index says.
    pc::test::write_file(data, full.substr(0, full.size() - 3));
    forget_clean_stop(dir);
    FileStore again(options(dir.path()));
    again.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(data_file(dir, "m"), before);
    EXPECT_EQ(again.machines()[0].records, 2u);
}

// Issue 19, item 5: after a clean stop nothing was being committed, so an index that disagrees
// with the collection is damaged: it is rebuilt from the collection, which keeps every byte.
TEST(Store, DamagedIndexAfterACleanStopIsRebuiltAndNothingIsCut) {
    struct Damage {
        const char* name;
        std::function<std::string(const std::string&)> apply;  // index bytes -> damaged bytes
    };
    const std::vector<Damage> damages = {
        {"emptied", [](const std::string&) { return std::string(); }},
        {"half", [](const std::string& idx) { return idx.substr(0, idx.size() / 2); }},
        {"byte flipped in the 12th-newest entry",
         [](const std::string& idx) {
             const auto starts = index_entry_starts(idx);
             // The first byte of its text (its offset field), after the frame's header.
             const std::size_t at = starts[starts.size() - 12] + pc::io::kFrameHeader;
             std::string out = idx;
             out[at] = static_cast<char>(out[at] ^ 1);
             return out;
         }},
    };
    for (const auto& damage : damages) {
        pc::test::TempDir dir;
        std::string full;
        {
            FileStore store(options(dir.path()));
            store.wait_until_recovered();  // recovery runs in the background
            for (int i = 1; i <= 100; ++i) {
                ASSERT_EQ(store
                              .append("web-01", tick(i, "t" + std::to_string(i)),
                                      "b-" + std::to_string(i))
                              .status,
                          Status::stored);
            }
            full = data_file(dir, "web-01");
        }
        auto idx = dir.path() / "data" / ".index" / "web-01.idx";
        const std::string original_index = pc::test::read_file(idx);
        pc::test::write_file(idx, damage.apply(original_index));
        FileStore reopened(options(dir.path()));
        reopened.wait_until_recovered();  // recovery runs in the background
        EXPECT_EQ(data_file(dir, "web-01"), full) << damage.name << ": acknowledged data cut";
        ASSERT_EQ(reopened.machines().size(), 1u);
        EXPECT_EQ(reopened.machines()[0].records, 200u) << damage.name;
        EXPECT_EQ(reopened.machines()[0].first_timestamp, 1) << damage.name;
        EXPECT_EQ(reopened.machines()[0].last_timestamp, 100) << damage.name;
        auto aside = kept_aside(dir);
        ASSERT_EQ(aside.size(), 1u) << damage.name << ": the old index is kept";
        EXPECT_EQ(pc::test::read_file(aside[0]), damage.apply(original_index));
        EXPECT_EQ(reopened.append("web-01", tick(101, "t101"), "b-101").status, Status::stored);
        EXPECT_EQ(count_lines(data_file(dir, "web-01")), 202u) << damage.name;
    }
}

// The index as a pcd before the frame format wrote it: each entry's text on a line.
std::string as_legacy_index(const std::string& framed) {
    std::string text;
    pc::io::scan_frames(framed, [&](std::string_view payload, std::size_t) {
        text.append(payload);
        text += '\n';
        return true;
    });
    return text;
}

// Issue 16: the index moved onto the shared frame format; a data directory of an older pcd is
// converted at each machine's first use, and everything in it stays as it was.
TEST(Store, AnIndexOfAnOlderVersionIsConvertedAtFirstUse) {
    for (const bool clean_stop : {true, false}) {
        pc::test::TempDir dir;
        std::string full;
        std::string framed;
        {
            FileStore store(options(dir.path()));
            store.wait_until_recovered();
            for (int i = 1; i <= 80; ++i) {
                ASSERT_EQ(store
                              .append("web-01", tick(i, "t" + std::to_string(i)),
                                      "b-" + std::to_string(i))
                              .status,
                          Status::stored);
            }
            full = data_file(dir, "web-01");
        }
        auto idx = dir.path() / "data" / ".index" / "web-01.idx";
        framed = pc::test::read_file(idx);
        std::string legacy = as_legacy_index(framed);
        if (!clean_stop) {
            forget_clean_stop(dir);
            legacy += "160 9";  // and a torn last line, as a crash left it
        }
        pc::test::write_file(idx, legacy);
        pc::test::LogCapture logs;
        FileStore reopened(options(dir.path()));
        reopened.wait_until_recovered();
        EXPECT_EQ(pc::test::read_file(idx), framed) << clean_stop;
        EXPECT_EQ(data_file(dir, "web-01"), full) << clean_stop;
        EXPECT_TRUE(kept_aside(dir).empty()) << clean_stop;
        EXPECT_NE(logs.text().find("converted its index (80 entries) to the frame format"),
                  std::string::npos)
            << logs.text();
        ASSERT_EQ(reopened.machines().size(), 1u);
        EXPECT_EQ(reopened.machines()[0].records, 160u);
        EXPECT_EQ(reopened.machines()[0].first_timestamp, 1);
        // The batch_ids came through: a resend is still recognised.
        EXPECT_EQ(reopened.append("web-01", tick(80, "t80"), "b-80").status, Status::duplicate);
        EXPECT_EQ(reopened.append("web-01", tick(81, "t81"), "b-81").status, Status::stored);
    }
}

// An old index with a line that cannot be read is not converted in part: the collection is
// the truth, the index is rebuilt from it and the old one kept aside.
TEST(Store, AnUnreadableIndexOfAnOlderVersionIsRebuilt) {
    pc::test::TempDir dir;
    std::string full;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();
        for (int i = 1; i <= 20; ++i) {
            ASSERT_EQ(store.append("web-01", tick(i, "t"), "b-" + std::to_string(i)).status,
                      Status::stored);
        }
        full = data_file(dir, "web-01");
    }
    auto idx = dir.path() / "data" / ".index" / "web-01.idx";
    std::string legacy = as_legacy_index(pc::test::read_file(idx));
    legacy.insert(legacy.find('\n') + 1, "not an entry\n");
    pc::test::write_file(idx, legacy);
    pc::test::LogCapture logs;
    FileStore reopened(options(dir.path()));
    reopened.wait_until_recovered();
    EXPECT_EQ(data_file(dir, "web-01"), full);
    ASSERT_EQ(kept_aside(dir).size(), 1u);
    EXPECT_EQ(pc::test::read_file(kept_aside(dir)[0]), legacy);
    EXPECT_NE(logs.text().find("an index of an older pcd whose line 2 cannot be read"),
              std::string::npos)
        << logs.text();
    ASSERT_EQ(reopened.machines().size(), 1u);
    EXPECT_EQ(reopened.machines()[0].records, 40u);
    EXPECT_EQ(reopened.append("web-01", tick(21, "t"), "b-21").status, Status::stored);
}

TEST(Store, CorruptDataAfterACleanStopIsKept) {
    pc::test::TempDir dir;
    {
        FileStore store(options(dir.path()));
        store.wait_until_recovered();  // recovery runs in the background
        store.append("m", tick(1, "a"), "b-1");
        store.append("m", tick(2, "b"), "b-2");
    }
    auto data = dir.path() / "data" / "m.json";
    auto corrupt = pc::test::read_file(data);
    corrupt[corrupt.size() - 10] = static_cast<char>(corrupt[corrupt.size() - 10] ^ 1);
    pc::test::write_file(data, corrupt);
    FileStore reopened(options(dir.path()));
    reopened.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(data_file(dir, "m"), corrupt) << "the collection is the truth: nothing cut";
    EXPECT_EQ(kept_aside(dir).size(), 1u) << "the index that disagreed is kept aside";
}

TEST(Store, AdoptsACollectionCopiedInByHand) {
    pc::test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "data");
    std::string lines =
        "{\"timestamp\":5,\"subsystem\":\"/proc/stat\",\"measurement\":\"x\"}\n"
        "{\"timestamp\":7,\"subsystem\":\"/proc/stat\",\"measurement\":\"y\"}\n";
    pc::test::write_file(dir.path() / "data" / "old.json", lines + "{\"timestamp\":9,\"sub");
    pc::test::write_file(dir.path() / "data" / "not an id.json", "x");
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(data_file(dir, "old"), lines);
    ASSERT_EQ(store.machines().size(), 1u);
    auto m = store.machines()[0];
    EXPECT_EQ(m.records, 2u);
    EXPECT_EQ(m.first_timestamp, 5);
    EXPECT_EQ(m.last_timestamp, 7);
    store.append("old", {{9, "/proc/stat", "z"}}, "b");
    EXPECT_EQ(store.machines()[0].records, 3u);
    EXPECT_EQ(store.machines()[0].last_timestamp, 9);
}

TEST(Store, ConcurrentAppendsKeepEachSendersOrder) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    constexpr int kThreads = 8;
    constexpr int kPerThread = 40;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                // Built with append: GCC 12 -O3 reports a false -Wrestrict on "t" + string.
                std::string sender = "t";
                sender.append(std::to_string(t));
                std::string machine = t % 2 == 0 ? std::string("shared")
                                                 : std::string("own-").append(std::to_string(t));
                auto out = store.append(machine, {{i, sender, std::to_string(i)}},
                                        sender + "-" + std::to_string(i));
                if (out.status != Status::stored) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    std::map<std::string, int> next;
    std::istringstream in(data_file(dir, "shared"));
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        auto sub_at = line.find("\"subsystem\":\"") + 13;
        auto sub = line.substr(sub_at, line.find('"', sub_at) - sub_at);
        auto meas_at = line.find("\"measurement\":\"") + 15;
        int seq = std::stoi(line.substr(meas_at));
        EXPECT_EQ(seq, next[sub]) << "order broken for " << sub;
        next[sub] = seq + 1;
    }
    EXPECT_EQ(lines, kThreads / 2 * kPerThread);
    EXPECT_EQ(count_lines(data_file(dir, "own-1")), static_cast<std::size_t>(kPerThread));
    EXPECT_EQ(store.machine_count(), 1u + kThreads / 2);
}

TEST(Store, ConcurrentResendsOfOneBatchAreStoredOnce) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    std::atomic<int> stored{0};
    std::atomic<int> duplicates{0};
    std::vector<std::thread> threads;
    for (int round = 0; round < 20; ++round) {
        for (int t = 0; t < 6; ++t) {
            threads.emplace_back([&, round] {
                auto out = store.append("m", tick(round, "x"), "batch-" + std::to_string(round));
                if (out.status == Status::stored) ++stored;
                if (out.status == Status::duplicate) ++duplicates;
            });
        }
        for (auto& th : threads) th.join();
        threads.clear();
    }
    EXPECT_EQ(stored.load(), 20);
    EXPECT_EQ(duplicates.load(), 100);
    EXPECT_EQ(count_lines(data_file(dir, "m")), 40u);
}

TEST(CollectionFilter, SelectsRecordsByTimestamp) {
    pc::test::TempDir dir;
    FileStore store(options(dir.path()));
    store.wait_until_recovered();  // recovery runs in the background
    for (int t = 1; t <= 5; ++t) store.append("m", tick(t * 10, "v"), std::nullopt);
    auto snap = store.snapshot("m");
    ASSERT_TRUE(snap);
    EXPECT_FALSE(store.snapshot("nope"));
    auto collect = [&](pc::store::TimeRange range) {
        pc::store::CollectionFilter filter(*snap, range);
        std::string all;
        std::string chunk;
        while (filter.next(chunk)) all += chunk;
        return all;
    };
    EXPECT_EQ(collect({}), data_file(dir, "m"));
    auto mid = collect({20, 40});
    EXPECT_EQ(count_lines(mid), 6u);
    EXPECT_TRUE(mid.starts_with("{\"timestamp\":20,"));
    EXPECT_NE(mid.find("{\"timestamp\":40,"), std::string::npos);
    EXPECT_EQ(mid.find("{\"timestamp\":50,"), std::string::npos);
    EXPECT_EQ(count_lines(collect({std::nullopt, 10})), 2u);
    EXPECT_EQ(collect({60, std::nullopt}), "");
}

// Through the Store interface, as routes and retention use it.
TEST(StoreInterface, ReadStreamsWhatWasStoredWhenCalledAndNullForUnknown) {
    pc::test::TempDir dir;
    FileStore file_store(options(dir.path()));
    pc::store::Store& store = file_store;
    EXPECT_EQ(store.read("nope", {}), nullptr);
    for (int t = 1; t <= 3; ++t) store.append("m", tick(t, "v"), std::nullopt);
    auto stream = store.read("m", {2, std::nullopt});
    ASSERT_NE(stream, nullptr);
    store.append("m", tick(4, "later"), std::nullopt);  // after read(): not seen
    std::string all, chunk;
    while (stream->next(chunk)) all += chunk;
    EXPECT_EQ(count_lines(all), 4u);
    EXPECT_TRUE(all.starts_with("{\"timestamp\":2,"));
    EXPECT_EQ(all.find("later"), std::string::npos);
    EXPECT_NE(store.describe().find((dir.path() / "data").string()), std::string::npos);
    EXPECT_EQ(store.machine_count(), 1u);
}
