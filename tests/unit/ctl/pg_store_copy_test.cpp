// pcctl store copy with PostgreSQL on either side (a throw-away server per run): files to the
// database and back give the same bytes, an interrupted copy into the database run again ends
// with exact counts, and the database's keys: add, list, remove by fingerprint.
#include <gtest/gtest.h>

#include <sstream>

#include "pc/core/error.hpp"
#include "pc/ctl/apikey_store.hpp"
#include "pc/ctl/store_copy.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/store/file_store.hpp"
#include "pc/store/pg_store.hpp"
#include "postgres_server.hpp"
#include "test_support.hpp"

using pc::ctl::copy_collections;
using pc::ctl::CopyOptions;
using pc::record::Record;
using pc::store::FileStore;
using pc::store::Store;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

std::string test_database() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("c_") + info->name();
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return PostgresEnvironment::server().create_database(name.substr(0, 60));
}

std::unique_ptr<pc::store::PgStore> pg_store(const std::string& uri) {
    pc::store::PgStoreOptions o;
    o.connect.uri = uri;
    o.pool_size = 2;
    return std::make_unique<pc::store::PgStore>(std::move(o));
}

std::unique_ptr<FileStore> file_store(const std::filesystem::path& dir) {
    return std::make_unique<FileStore>(pc::store::StoreOptions{dir, 1024});
}

std::string read_all(const Store& store, const std::string& id) {
    auto stream = store.read(id, {});
    if (!stream) return "<unknown>";
    std::string all, chunk;
    while (stream->next(chunk)) all += chunk;
    return all;
}

void feed(Store& store, const std::string& id, int ticks) {
    for (int i = 0; i < ticks; ++i) {
        const std::int64_t ts = 1700000000 + i;
        std::vector<Record> batch{{ts, "/proc/stat", "cpu " + std::to_string(i) + " \"q\"\n\t\\"},
                                  {ts, "/proc/meminfo", std::string("nul\0byte \xc3\xa9", 11)}};
        ASSERT_EQ(store.append(id, batch, "b" + std::to_string(i)).status,
                  pc::store::AppendOutcome::Status::stored);
    }
}

}  // namespace

TEST(PgStoreCopy, FilesToTheDatabaseAndBackAreTheSameBytes) {
    pc::test::TempDir dir;
    auto files = file_store(dir / "files");
    feed(*files, "web-01", 25);
    feed(*files, "db-01", 4);
    auto database = pg_store(test_database());
    std::ostringstream progress;
    CopyOptions options;
    options.batch_records = 9;
    ASSERT_TRUE(copy_collections(*files, *database, options, progress).complete())
        << progress.str();
    auto back = file_store(dir / "back");
    ASSERT_TRUE(copy_collections(*database, *back, {}, progress).complete()) << progress.str();
    for (const std::string id : {"web-01", "db-01"}) {
        const std::string original = read_all(*files, id);
        EXPECT_EQ(read_all(*database, id), original) << id;
        EXPECT_EQ(read_all(*back, id), original) << id;
        // Byte for byte on disk too: the collection file pcd serves.
        EXPECT_EQ(pc::test::read_file(dir / "back" / (id + ".json")),
                  pc::test::read_file(dir / "files" / (id + ".json")))
            << id;
    }
    auto summaries = [](const Store& s) {
        auto list = s.machines();
        for (auto& m : list) m.last_seen = 0;
        return list;
    };
    EXPECT_EQ(summaries(*back), summaries(*files));
}

TEST(PgStoreCopy, AnInterruptedCopyIntoTheDatabaseRunAgainEndsExact) {
    pc::test::TempDir dir;
    auto files = file_store(dir / "files");
    feed(*files, "web-01", 20);
    const auto uri = test_database();
    std::ostringstream progress;
    {
        auto database = pg_store(uri);
        CopyOptions options;
        options.batch_records = 6;
        options.stop_after_batches = 3;
        EXPECT_TRUE(copy_collections(*files, *database, options, progress).stopped);
        EXPECT_EQ(database->machines().at(0).records, 18u);
    }
    auto database = pg_store(uri);
    const auto report = copy_collections(*files, *database, {}, progress);
    ASSERT_TRUE(report.complete()) << progress.str();
    EXPECT_EQ(report.machines.at(0).already, 18u);
    EXPECT_EQ(report.machines.at(0).copied, 22u);
    EXPECT_EQ(read_all(*database, "web-01"), read_all(*files, "web-01"));
    EXPECT_EQ(PostgresEnvironment::server().query("SELECT sum(records) FROM batches",
                                                  uri.substr(uri.rfind('/') + 1)),
              "40");
}

TEST(PgApikeyStore, AddListAndRemoveKeysInTheDatabase) {
    const auto uri = test_database();
    auto info = pc::ctl::key_database(uri, "--store", "");
    ASSERT_TRUE(info);
    EXPECT_FALSE(pc::ctl::key_database("file", "--store", ""));
    EXPECT_FALSE(pc::ctl::key_database("", "--store", ""));
    EXPECT_THROW(pc::ctl::key_database("mysql://x", "--store", ""), pc::core::UsageError);
    auto conn = pc::ctl::open_key_database(*info);

    const std::string key = pc::keys::generate_api_key();
    const auto added = pc::ctl::add_database_key(*conn, pc::store::KeyKind::api, key, {"web-*"});
    EXPECT_EQ(added.fingerprint(), pc::keys::key_fingerprint(key));
    EXPECT_EQ(added.identifiers, std::vector<std::string>{"web-*"});
    EXPECT_GT(added.created, 0);
    EXPECT_THROW(pc::ctl::add_database_key(*conn, pc::store::KeyKind::api, key, {}),
                 pc::core::UserError);
    EXPECT_THROW(pc::ctl::add_database_key(*conn, pc::store::KeyKind::api, "short", {}),
                 pc::core::UserError);
    EXPECT_THROW(
        pc::ctl::add_database_key(*conn, pc::store::KeyKind::api, "long-enough-1", {"b d"}),
        pc::core::UsageError);
    // A key known only by its hash is stored as that hash.
    const std::string other = pc::keys::generate_api_key();
    const auto hashed = pc::ctl::add_database_key(*conn, pc::store::KeyKind::admin,
                                                  pc::keys::hashed_key_line(other), {});
    EXPECT_EQ(hashed.fingerprint(), pc::keys::key_fingerprint(other));
    // Nothing but digests in the table.
    const auto db = uri.substr(uri.rfind('/') + 1);
    EXPECT_EQ(
        PostgresEnvironment::server().query(
            "SELECT count(*) FROM access_keys WHERE digest LIKE '%" + key.substr(0, 10) + "%'", db),
        "0");

    EXPECT_THROW(pc::ctl::remove_database_key(*conn, pc::store::KeyKind::api, "zz"),
                 pc::core::UserError);
    EXPECT_THROW(pc::ctl::remove_database_key(*conn, pc::store::KeyKind::api, hashed.fingerprint()),
                 pc::core::UserError)
        << "an admin key is not removed as a machine key";
    const auto removed = pc::ctl::remove_database_key(*conn, pc::store::KeyKind::api,
                                                      added.fingerprint().substr(0, 6));
    EXPECT_EQ(removed.digest, added.digest);
    EXPECT_EQ(PostgresEnvironment::server().query("SELECT count(*) FROM access_keys", db), "1");
}

TEST(PgApikeyStore, AnUnreachableDatabaseIsOneLineWithoutThePassword) {
    const int port = pc::test::pick_free_port();
    auto info = pc::ctl::key_database(
        "postgresql://pcd:s3cret-pw@127.0.0.1:" + std::to_string(port) + "/pcd?connect_timeout=2",
        "--store", "");
    ASSERT_TRUE(info);
    try {
        pc::ctl::open_key_database(*info);
        FAIL() << "connected to nothing";
    } catch (const pc::core::UserError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cret-pw"), std::string::npos) << what;
        EXPECT_NE(what.find("cannot use the store database postgresql://pcd@127.0.0.1"),
                  std::string::npos)
            << what;
    }
}
