// pcctl store copy between file stores (the PostgreSQL side: pg_store_copy_test.cpp): the copy
// reads back byte for byte, an interrupted copy run again ends with exact counts and nothing
// doubled, a destination that is not a prefix of the source is named, --identifier patterns.
#include "pc/ctl/store_copy.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "pc/core/error.hpp"
#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using pc::ctl::copy_collections;
using pc::ctl::CopyOptions;
using pc::record::Record;
using pc::store::FileStore;
using pc::store::Store;
using pc::store::StoreOptions;

namespace {

std::string read_all(const Store& store, const std::string& id) {
    auto stream = store.read(id, {});
    if (!stream) return "<unknown>";
    std::string all, chunk;
    while (stream->next(chunk)) all += chunk;
    return all;
}

// `ticks` batches of two records each, with text that needs escaping.
void feed(Store& store, const std::string& id, int ticks) {
    for (int i = 0; i < ticks; ++i) {
        const std::int64_t ts = 1700000000 + i;
        std::vector<Record> batch{{ts, "/proc/stat", "cpu " + std::to_string(i) + " \"q\"\n\t\\"},
                                  {ts, "/proc/meminfo", "MemTotal: 1 kB\n\xc3\xa9"}};
        ASSERT_EQ(store.append(id, batch, "b" + std::to_string(i)).status,
                  pc::store::AppendOutcome::Status::stored);
    }
}

std::unique_ptr<FileStore> file_store(const std::filesystem::path& dir) {
    return std::make_unique<FileStore>(StoreOptions{dir, 1024});
}

}  // namespace

TEST(StoreCopy, CopiesEveryMachineByteForByteAndChecksTheCounts) {
    pc::test::TempDir dir;
    auto from = file_store(dir / "from");
    feed(*from, "web-01", 30);
    feed(*from, "db-01", 3);
    auto to = file_store(dir / "to");
    std::ostringstream progress;
    CopyOptions options;
    options.batch_records = 7;  // batches that cut ticks apart
    const auto report = copy_collections(*from, *to, options, progress);
    EXPECT_TRUE(report.complete());
    ASSERT_EQ(report.machines.size(), 2u);
    for (const auto& m : report.machines) {
        EXPECT_EQ(m.mismatch, "") << m.identifier;
        EXPECT_EQ(read_all(*to, m.identifier), read_all(*from, m.identifier)) << m.identifier;
    }
    EXPECT_EQ(report.machines[1].identifier, "web-01");
    EXPECT_EQ(report.machines[1].copied, 60u);
    EXPECT_NE(progress.str().find("[2/2] web-01: 60 records, 0 already there"), std::string::npos)
        << progress.str();

    // Again: nothing to do, nothing doubled.
    const auto again = copy_collections(*from, *to, options, progress);
    EXPECT_TRUE(again.complete());
    for (const auto& m : again.machines) {
        EXPECT_EQ(m.copied, 0u);
        EXPECT_EQ(m.already, m.records);
    }
    EXPECT_EQ(read_all(*to, "web-01"), read_all(*from, "web-01"));
}

TEST(StoreCopy, AnInterruptedCopyRunAgainEndsExact) {
    pc::test::TempDir dir;
    auto from = file_store(dir / "from");
    feed(*from, "a-01", 10);
    feed(*from, "b-01", 10);
    std::ostringstream progress;
    {
        auto to = file_store(dir / "to");
        CopyOptions options;
        options.batch_records = 3;
        options.stop_after_batches = 9;  // all 7 of a-01's batches and 2 of b-01's
        const auto report = copy_collections(*from, *to, options, progress);
        EXPECT_TRUE(report.stopped);
        EXPECT_FALSE(report.complete());
        const auto there = to->machines();
        ASSERT_EQ(there.size(), 2u);
        EXPECT_EQ(there[0].records, 20u);
        EXPECT_EQ(there[1].records, 6u);
    }
    auto to = file_store(dir / "to");  // reopened, as a new pcctl run would
    CopyOptions options;
    options.batch_records = 4;
    const auto report = copy_collections(*from, *to, options, progress);
    EXPECT_TRUE(report.complete());
    EXPECT_EQ(report.machines[0].copied, 0u);
    EXPECT_EQ(report.machines[1].already, 6u);
    EXPECT_EQ(report.machines[1].copied, 14u);
    EXPECT_EQ(read_all(*to, "a-01"), read_all(*from, "a-01"));
    EXPECT_EQ(read_all(*to, "b-01"), read_all(*from, "b-01"));
}

TEST(StoreCopy, ADestinationThatIsNotAPrefixOfTheSourceIsNamed) {
    pc::test::TempDir dir;
    auto from = file_store(dir / "from");
    feed(*from, "web-01", 5);
    feed(*from, "web-02", 2);
    auto to = file_store(dir / "to");
    // Other data under the same identifier: one record, not the source's first.
    ASSERT_EQ(to->append("web-01", {{1, "/proc/stat", "something else entirely"}}, "x").status,
              pc::store::AppendOutcome::Status::stored);
    feed(*to, "web-02", 3);  // more than the source has
    std::ostringstream progress;
    const auto report = copy_collections(*from, *to, {}, progress);
    EXPECT_FALSE(report.complete());
    ASSERT_EQ(report.machines.size(), 2u);
    EXPECT_NE(report.machines[0].mismatch.find("are not the source's first ones"),
              std::string::npos)
        << report.machines[0].mismatch;
    EXPECT_NE(report.machines[1].mismatch.find("has more"), std::string::npos)
        << report.machines[1].mismatch;
}

TEST(StoreCopy, IdentifiersSelectMachines) {
    pc::test::TempDir dir;
    auto from = file_store(dir / "from");
    feed(*from, "web-01", 2);
    feed(*from, "web-02", 2);
    feed(*from, "db-01", 2);
    auto to = file_store(dir / "to");
    std::ostringstream progress;
    CopyOptions options;
    options.identifiers = {"web-*"};
    const auto report = copy_collections(*from, *to, options, progress);
    ASSERT_EQ(report.machines.size(), 2u);
    EXPECT_EQ(to->machines().size(), 2u);
    options.identifiers = {"nope-01"};
    EXPECT_THROW(copy_collections(*from, *to, options, progress), pc::core::UserError);
}
