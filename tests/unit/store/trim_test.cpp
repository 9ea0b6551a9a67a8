// Store::trim and Store::remove: old batches removed while appends go on, crash safety of the
// file swap, deletion.
#include "pc/store/trim.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pc/record/codec.hpp"
#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using pc::store::AppendOutcome;
using pc::store::FileStore;
using pc::store::Store;
using pc::store::StoreOptions;
using Status = AppendOutcome::Status;

namespace {

std::vector<pc::record::Record> tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu  " + std::to_string(ts) + "\n"},
            {ts, "/proc/meminfo", "MemTotal: 1 kB\n"}};
}

std::string encoded(std::int64_t from, std::int64_t to) {
    std::string out;
    for (auto ts = from; ts <= to; ++ts) {
        for (const auto& r : tick(ts)) pc::record::encode_record(r, out);
    }
    return out;
}

struct TrimTest : ::testing::Test {
    pc::test::TempDir dir;
    std::filesystem::path data() const { return dir.path() / "data"; }
    std::filesystem::path json(const std::string& id) const { return data() / (id + ".json"); }
    std::filesystem::path idx(const std::string& id) const {
        return data() / ".index" / (id + ".idx");
    }
    StoreOptions options() const { return StoreOptions{data(), 1024}; }
    static void fill(Store& store, const std::string& id, std::int64_t from, std::int64_t to) {
        for (auto ts = from; ts <= to; ++ts) {
            ASSERT_EQ(store.append(id, tick(ts), "b-" + std::to_string(ts)).status, Status::stored);
        }
    }
};

}  // namespace

TEST_F(TrimTest, RemovesTheOldBatchesAndKeepsTheRestConsistent) {
    {
        FileStore store(options());
        store.wait_until_recovered();  // recovery runs in the background
        fill(store, "m", 1, 10);
        auto result = store.trim("m", 6);
        ASSERT_TRUE(result);
        EXPECT_EQ(result->batches, 5u);
        EXPECT_EQ(result->records, 10u);
        EXPECT_EQ(result->bytes, encoded(1, 5).size());
        EXPECT_EQ(pc::test::read_file(json("m")), encoded(6, 10));
        auto m = store.machines().at(0);
        EXPECT_EQ(m.records, 10u);
        EXPECT_EQ(m.bytes, encoded(6, 10).size());
        EXPECT_EQ(m.first_timestamp, 6);
        EXPECT_EQ(m.last_timestamp, 10);

        // Appends go on at the new end; a trim with nothing that old changes nothing.
        fill(store, "m", 11, 12);
        EXPECT_EQ(store.trim("m", 6)->records, 0u);
        EXPECT_FALSE(store.trim("unknown", 6));
        EXPECT_EQ(pc::test::read_file(json("m")), encoded(6, 12));
        EXPECT_EQ(store.append("m", tick(9), "b-9").status, Status::duplicate);
    }
    // After a restart the index agrees with the data: nothing cut, counts and dedup intact.
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(6, 12));
    auto m = store.machines().at(0);
    EXPECT_EQ(m.records, 14u);
    EXPECT_EQ(m.first_timestamp, 6);
    EXPECT_EQ(store.append("m", tick(12), "b-12").status, Status::duplicate);
    fill(store, "m", 13, 13);
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(6, 13));
}

TEST_F(TrimTest, TrimmingEverythingLeavesAnEmptyCollection) {
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    fill(store, "m", 1, 3);
    EXPECT_EQ(store.trim("m", 100)->batches, 3u);
    EXPECT_EQ(pc::test::read_file(json("m")), "");
    auto m = store.machines().at(0);
    EXPECT_EQ(m.records, 0u);
    EXPECT_EQ(m.bytes, 0u);
    EXPECT_EQ(m.first_timestamp, 0);
    fill(store, "m", 200, 201);
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(200, 201));
    EXPECT_EQ(store.machines().at(0).first_timestamp, 200);
}

TEST_F(TrimTest, AppendsDuringTrimsAreNeverLost) {
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    fill(store, "m", 1, 20);
    std::atomic<std::int64_t> last_stored{20};
    std::atomic<bool> stop{false};
    std::atomic<bool> failed{false};
    std::thread writer([&] {
        for (std::int64_t ts = 21; !stop; ++ts) {
            if (store.append("m", tick(ts), "b-" + std::to_string(ts)).status != Status::stored) {
                ADD_FAILURE() << "append of " << ts << " failed";
                failed = true;
                return;
            }
            last_stored = ts;
        }
    });
    std::thread other([&] {  // another machine's commits go on too
        for (std::int64_t ts = 1; !stop; ++ts) store.append("n", tick(ts), std::nullopt);
    });
    std::int64_t before = 5;
    for (int i = 0; i < 20; ++i, before += 5) {
        while (last_stored < before + 10 && !failed) std::this_thread::yield();
        if (failed) break;
        EXPECT_TRUE(store.trim("m", before));
    }
    stop = true;
    writer.join();
    other.join();
    // Exactly the acknowledged ticks from the last cut on, in order, no gap, no duplicate.
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(before - 5, last_stored));
    auto m = store.machines();
    EXPECT_EQ(m.at(0).records, static_cast<std::uint64_t>(2 * (last_stored - before + 6)));
}

TEST_F(TrimTest, AStopBeforeTheCommitPointKeepsTheOldFiles) {
    {
        FileStore store(options());
        store.wait_until_recovered();  // recovery runs in the background
        fill(store, "m", 1, 5);
    }
    pc::test::write_file(pc::store::trim_data_path(json("m")), "half a copy");
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_FALSE(std::filesystem::exists(pc::store::trim_data_path(json("m"))));
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(1, 5));
    EXPECT_EQ(store.machines().at(0).records, 10u);
}

TEST_F(TrimTest, AStopAfterTheCommitPointIsFinishedAtTheNextStart) {
    std::string trimmed_data, trimmed_index;
    {
        FileStore store(options());
        store.wait_until_recovered();  // recovery runs in the background
        fill(store, "m", 1, 5);
        ASSERT_EQ(store.trim("m", 3)->batches, 2u);
        trimmed_data = pc::test::read_file(json("m"));
        trimmed_index = pc::test::read_file(idx("m"));
    }
    // As if stopped between the commit point and the renames: the old files still in place.
    std::string old_index = pc::test::read_file(idx("m"));
    pc::test::write_file(pc::store::trim_data_path(json("m")), trimmed_data);
    pc::test::write_file(pc::store::trim_index_path(idx("m")), trimmed_index);
    pc::test::write_file(json("m"), encoded(1, 5));
    {
        FileStore store(options());
        store.wait_until_recovered();  // recovery runs in the background
        EXPECT_EQ(pc::test::read_file(json("m")), encoded(3, 5));
        EXPECT_EQ(pc::test::read_file(idx("m")), trimmed_index);
        EXPECT_EQ(store.machines().at(0).records, 6u);
    }
    // Stopped after the data rename: only the index is left to move.
    pc::test::write_file(pc::store::trim_index_path(idx("m")), trimmed_index);
    pc::test::write_file(idx("m"), old_index + "garbage that would not parse\n");
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    EXPECT_EQ(pc::test::read_file(idx("m")), trimmed_index);
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(3, 5));
}

TEST_F(TrimTest, RemoveDeletesTheFilesAndANewBatchStartsOver) {
    FileStore store(options());
    store.wait_until_recovered();  // recovery runs in the background
    fill(store, "m", 1, 3);
    fill(store, "keep", 1, 2);
    auto removed = store.remove("m");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->records, 6u);
    EXPECT_FALSE(std::filesystem::exists(json("m")));
    EXPECT_FALSE(std::filesystem::exists(idx("m")));
    EXPECT_FALSE(store.remove("m"));
    ASSERT_EQ(store.machines().size(), 1u);
    EXPECT_EQ(store.machines()[0].identifier, "keep");
    EXPECT_EQ(store.append("m", tick(7), "b-1").status, Status::stored);  // window forgotten
    EXPECT_EQ(pc::test::read_file(json("m")), encoded(7, 7));
    EXPECT_EQ(pc::test::read_file(json("keep")), encoded(1, 2));
}
