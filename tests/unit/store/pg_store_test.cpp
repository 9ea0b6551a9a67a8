// PgStore against a real, throw-away PostgreSQL (tests/support/postgres_server.hpp): the same
// answers and bytes as the file store, duplicates across replicas, trim, remove, the machine
// limit, and a database that goes away or turns read-only. Each test has its own database.
#include "pc/store/pg_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "pc/store/file_store.hpp"
#include "pc/store/pg_connection.hpp"
#include "pc/store/pg_schema.hpp"
#include "postgres_server.hpp"
#include "test_support.hpp"

using pc::record::Record;
using pc::store::AppendOutcome;
using pc::store::FileStore;
using pc::store::MachineSummary;
using pc::store::PgStore;
using pc::store::PgStoreOptions;
using pc::store::Store;
using pc::store::TimeRange;
using pc::test::PostgresEnvironment;
using Status = AppendOutcome::Status;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

// A fresh database named after the running test.
std::string test_database() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("t_") + info->test_suite_name() + "_" + info->name();
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return PostgresEnvironment::server().create_database(name.substr(0, 60));
}

PgStoreOptions pg_options(const std::string& uri, std::size_t max_machines = 10000) {
    PgStoreOptions o;
    o.connect.uri = uri;
    o.connect.application_name = "pctest";
    o.pool_size = 8;
    o.max_machines = max_machines;
    o.probe_interval = std::chrono::milliseconds(100);
    return o;
}

std::vector<Record> tick(std::int64_t ts, const std::string& text) {
    return {{ts, "/proc/stat", text}, {ts, "/proc/meminfo", "MemTotal: 1 kB\n"}};
}

std::string read_all(const Store& store, const std::string& id, TimeRange range = {}) {
    auto stream = store.read(id, range);
    if (!stream) return "<unknown>";
    std::string all, chunk;
    while (stream->next(chunk)) all += chunk;
    return all;
}

// Summaries without last_seen (the moment each store took the batch).
std::vector<MachineSummary> summaries(const Store& store) {
    auto list = store.machines();
    for (auto& m : list) m.last_seen = 0;
    return list;
}

// The same batches into both stores; tricky contents: escapes, unicode, out-of-order records.
void feed(Store& store) {
    ASSERT_EQ(
        store.append("alpha", tick(100, "cpu 1 2 3\n\"quoted\" <html> & \xc3\xa9\n"), "b1").status,
        Status::stored);
    ASSERT_EQ(store.append("alpha", tick(110, std::string("nul\0byte\ttab", 12)), "b2").status,
              Status::stored);
    std::vector<Record> unordered{{130, "/proc/stat", "late"}, {120, "/proc/stat", "early"}};
    ASSERT_EQ(store.append("alpha", unordered, "b3").status, Status::stored);
    ASSERT_EQ(store.append("beta", tick(200, "x"), std::nullopt).status, Status::stored);
    ASSERT_EQ(store.append("alpha", tick(140, "last"), "b4").status, Status::stored);
    ASSERT_EQ(store.append("alpha", tick(110, "again"), "b2").status, Status::duplicate);
}

}  // namespace

TEST(PgStore, SameBytesAndSummariesAsTheFileStore) {
    pc::test::TempDir dir;
    FileStore files(pc::store::StoreOptions{dir.path() / "data", 1024});
    PgStore pg(pg_options(test_database()));
    EXPECT_EQ(pg.schema_version_found(), 0);
    feed(files);
    feed(pg);
    EXPECT_EQ(summaries(pg), summaries(files));
    const std::vector<TimeRange> ranges{{},         {110, std::nullopt}, {std::nullopt, 120},
                                        {120, 125}, {125, 135},          {500, 600}};
    for (const auto& id : {"alpha", "beta"}) {
        for (const auto& range : ranges) {
            EXPECT_EQ(read_all(pg, id, range), read_all(files, id, range))
                << id << " since " << range.since.value_or(-1) << " until "
                << range.until.value_or(-1);
        }
    }
    EXPECT_EQ(read_all(pg, "gamma"), "<unknown>");
    EXPECT_EQ(pg.machine_count(), 2u);
    auto again = pg.machines();
    EXPECT_GT(again.at(0).last_seen, 0);
}

TEST(PgStore, ReadSeesWhatWasStoredWhenCalledAcrossManyQueries) {
    PgStore pg(pg_options(test_database()));
    for (int t = 1; t <= 100; ++t) pg.append("m", tick(t, "v" + std::to_string(t)), std::nullopt);
    auto stream = pg.read("m", {});
    ASSERT_NE(stream, nullptr);
    pg.append("m", tick(101, "later"), std::nullopt);
    std::string all, chunk;
    while (stream->next(chunk)) all += chunk;
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 200);
    EXPECT_EQ(all.find("later"), std::string::npos);
    EXPECT_TRUE(all.starts_with("{\"timestamp\":1,"));
}

TEST(PgStore, ABatchIdIsStoredOnceAcrossReplicasAndConcurrentResends) {
    const auto uri = test_database();
    PgStore one(pg_options(uri));
    PgStore two(pg_options(uri));
    EXPECT_EQ(two.schema_version_found(), pc::store::latest_schema_version());
    EXPECT_EQ(one.append("m", tick(1, "a"), "id-1").status, Status::stored);
    EXPECT_EQ(two.append("m", tick(1, "a"), "id-1").status, Status::duplicate);
    // Eight senders race with the same batch through both replicas: one stores it.
    std::atomic<int> stored{0}, duplicate{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 8; ++i) {
        senders.emplace_back([&, i] {
            Store& store = i % 2 ? static_cast<Store&>(one) : two;
            auto s = store.append("m", tick(2, "b"), "id-2").status;
            (s == Status::stored ? stored : duplicate)++;
        });
    }
    for (auto& t : senders) t.join();
    EXPECT_EQ(stored, 1);
    EXPECT_EQ(duplicate, 7);
    EXPECT_EQ(one.machines().at(0).records, 4u);
    const std::string all = read_all(two, "m");
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 4);
}

TEST(PgStore, TrimRemovesTheLeadingBatchesAsTheFileStore) {
    pc::test::TempDir dir;
    FileStore files(pc::store::StoreOptions{dir.path() / "data", 1024});
    PgStore pg(pg_options(test_database()));
    feed(files);
    feed(pg);
    for (std::int64_t before : {50, 111, 125, 135, 1000}) {
        auto a = pg.trim("alpha", before);
        auto b = files.trim("alpha", before);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(a->batches, b->batches) << before;
        EXPECT_EQ(a->records, b->records) << before;
        EXPECT_EQ(a->bytes, b->bytes) << before;
        EXPECT_EQ(summaries(pg), summaries(files)) << before;
        EXPECT_EQ(read_all(pg, "alpha"), read_all(files, "alpha")) << before;
    }
    EXPECT_FALSE(pg.trim("nobody", 10));
    // Emptied by trim, the machine stays, and takes new batches as the file store does.
    EXPECT_EQ(pg.append("alpha", tick(2000, "new"), "b9").status, Status::stored);
    EXPECT_EQ(files.append("alpha", tick(2000, "new"), "b9").status, Status::stored);
    EXPECT_EQ(summaries(pg), summaries(files));
}

TEST(PgStore, RemoveDeletesAMachineAndItsBatches) {
    const auto uri = test_database();
    PgStore pg(pg_options(uri));
    pg.append("m", tick(1, "a"), "x");
    pg.append("keep", tick(1, "a"), "x");
    auto removed = pg.remove("m");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->records, 2u);
    EXPECT_FALSE(pg.remove("m"));
    EXPECT_EQ(pg.read("m", {}), nullptr);
    EXPECT_EQ(
        pc::test::PostgresEnvironment::server().query(
            "SELECT count(*) FROM batches WHERE machine = 'm'", uri.substr(uri.rfind('/') + 1)),
        "0");
    // A resend after the delete starts a new collection.
    EXPECT_EQ(pg.append("m", tick(1, "a"), "x").status, Status::stored);
    EXPECT_EQ(pg.machine_count(), 2u);
}

TEST(PgStore, TheMachineLimitHoldsAcrossReplicas) {
    const auto uri = test_database();
    PgStore one(pg_options(uri, 3));
    PgStore two(pg_options(uri, 3));
    std::atomic<int> stored{0}, refused{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 6; ++i) {
        senders.emplace_back([&, i] {
            Store& store = i % 2 ? static_cast<Store&>(one) : two;
            auto outcome = store.append("m" + std::to_string(i), tick(1, "a"), "x");
            if (outcome.status == Status::stored) stored++;
            if (outcome.status == Status::too_many_machines) {
                refused++;
                EXPECT_NE(outcome.error.find("PCD_MAX_MACHINES"), std::string::npos);
            }
        });
    }
    for (auto& t : senders) t.join();
    EXPECT_EQ(stored, 3);
    EXPECT_EQ(refused, 3);
    // Known machines keep storing at the limit.
    const auto known = one.machines().at(0).identifier;
    EXPECT_EQ(two.append(known, tick(2, "b"), "y").status, Status::stored);
}

TEST(PgStore, ADatabaseThatGoesAwayFailsAppendsAndIsReconnected) {
    auto& server = PostgresEnvironment::server();
    PgStore pg(pg_options(test_database()));
    ASSERT_EQ(pg.append("m", tick(1, "a"), "1").status, Status::stored);
    EXPECT_FALSE(pg.problem());

    server.stop();
    auto down = pg.append("m", tick(2, "b"), "2");
    EXPECT_EQ(down.status, Status::failed);
    EXPECT_EQ(down.error, "storage failed: the database is unavailable");
    ASSERT_TRUE(pg.problem());
    EXPECT_NE(pg.problem()->find("unavailable"), std::string::npos);
    EXPECT_THROW(pg.machines(), pc::store::PgError);
    EXPECT_EQ(pg.machine_count(), 1u);  // the last known count, without waiting
    server.start();

    // Every pooled connection broke; the store reconnects by itself.
    EXPECT_EQ(pg.append("m", tick(2, "b"), "2").status, Status::stored);
    EXPECT_FALSE(pg.problem());
    EXPECT_EQ(pg.machines().at(0).records, 4u);
}

TEST(PgStore, AReadOnlyDatabaseIsReportedAndNothingIsStored) {
    auto& server = PostgresEnvironment::server();
    PgStore pg(pg_options(test_database()));
    server.set_read_only(true);
    auto outcome = pg.append("m", tick(1, "a"), "1");
    server.set_read_only(false);
    EXPECT_EQ(outcome.status, Status::failed);
    EXPECT_EQ(outcome.error, "storage failed: the database is read-only");
    EXPECT_EQ(pg.machine_count(), 0u);
    // The probe sees the database writable again and clears the problem.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pg.problem() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_FALSE(pg.problem());
    EXPECT_EQ(pg.append("m", tick(1, "a"), "1").status, Status::stored);
}

TEST(PgStore, DescribeAndErrorsNeverShowThePassword) {
    auto o = pg_options("postgresql://pcd:sekrit-pw@127.0.0.1:1/none");
    try {
        PgStore pg(o);
        FAIL() << "connected to nothing";
    } catch (const std::exception& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("sekrit-pw"), std::string::npos) << what;
        EXPECT_NE(what.find("postgresql://pcd@127.0.0.1:1/none"), std::string::npos) << what;
    }
}

// Group commit: a trigger on `batches` holds the inserts of chosen machines until the test
// opens a gate (an advisory lock the test holds on a connection of its own), so that a group
// stays in flight while the test queues the next one; the store commits one group at a time.
namespace {

constexpr int kFirstGate = 42;   // machine "gate"
constexpr int kSecondGate = 43;  // machines "held-*"

void install_gates(const std::string& uri) {
    pc::store::PgConnection conn({uri, std::nullopt, "pctest"});
    conn.exec(R"sql(
CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.machine = 'gate' THEN PERFORM pg_advisory_xact_lock_shared(42); END IF;
    IF NEW.machine LIKE 'held-%' THEN PERFORM pg_advisory_xact_lock_shared(43); END IF;
    IF NEW.machine = 'bad' THEN RAISE EXCEPTION 'a batch this test refuses'; END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER test_gate BEFORE INSERT ON batches FOR EACH ROW EXECUTE FUNCTION test_gate();
)sql");
}

class Gate {
public:
    Gate(const std::string& uri, int key) : conn_({uri, std::nullopt, "pctest"}), key_(key) {
        conn_.exec("SELECT pg_advisory_lock(" + std::to_string(key_) + ")");
    }
    void open() { conn_.exec("SELECT pg_advisory_unlock(" + std::to_string(key_) + ")"); }
    // A transaction waits at the gate.
    bool waited_at(const std::string& uri) const {
        pc::store::PgConnection conn({uri, std::nullopt, "pctest"});
        return conn.exec("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " +
                         std::to_string(key_) + " AND NOT granted")
                   .int64(0, 0) > 0;
    }

private:
    pc::store::PgConnection conn_;
    int key_;
};

void wait_until(const std::function<bool()>& done, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out waiting: " << what;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

PgStoreOptions one_group_at_a_time(const std::string& uri) {
    auto o = pg_options(uri);
    o.group_commits = 1;
    return o;
}

std::int64_t stored_batches(const std::string& uri, const std::string& like) {
    pc::store::PgConnection conn({uri, std::nullopt, "pctest"});
    return conn.exec("SELECT count(*) FROM batches WHERE machine LIKE '" + like + "'").int64(0, 0);
}

}  // namespace

TEST(PgStoreGroupCommit, DistinctAndDuplicateBatchesInOneGroupEachGetTheirOwnAnswer) {
    const auto uri = test_database();
    PgStore pg(one_group_at_a_time(uri));
    install_gates(uri);
    Gate gate(uri, kFirstGate);
    std::thread first(
        [&] { EXPECT_EQ(pg.append("gate", tick(1, "g"), "g1").status, Status::stored); });
    wait_until([&] { return gate.waited_at(uri); }, "the first group at the gate");

    // While the first group waits, four machines' batches queue: b1 twice (a resend racing
    // the original), b2 once, and one batch without a batch_id.
    std::atomic<int> stored{0}, duplicate{0}, other{0};
    std::vector<std::thread> senders;
    for (int m = 0; m < 4; ++m) {
        for (const char* id : {"b1", "b1", "b2"}) {
            senders.emplace_back([&, m, id] {
                const auto s = pg.append("m" + std::to_string(m), tick(10, "x"), id).status;
                (s == Status::stored ? stored : s == Status::duplicate ? duplicate : other)++;
            });
        }
    }
    senders.emplace_back([&] {
        EXPECT_EQ(pg.append("m0", tick(11, "no id"), std::nullopt).status, Status::stored);
    });
    wait_until([&] { return pg.batches_queued() == 13; }, "13 batches queued");
    gate.open();
    first.join();
    for (auto& t : senders) t.join();

    EXPECT_EQ(stored, 8);
    EXPECT_EQ(duplicate, 4);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(pg.groups_committed(), 2u);  // the gate's, then the 13 queued behind it
    EXPECT_EQ(pg.batches_committed(), 14u);
    const auto list = pg.machines();
    ASSERT_EQ(list.size(), 5u);
    for (const auto& m : list) {
        const std::uint64_t batches = m.identifier == "gate" ? 1 : m.identifier == "m0" ? 3 : 2;
        EXPECT_EQ(m.records, 2 * batches) << m.identifier;
        const std::string all = read_all(pg, m.identifier);
        EXPECT_EQ(static_cast<std::uint64_t>(std::count(all.begin(), all.end(), '\n')), 2 * batches)
            << m.identifier;
    }
    EXPECT_FALSE(pg.problem());
}

TEST(PgStoreGroupCommit, ABadBatchFailsAloneAndTheRestOfItsGroupIsStored) {
    const auto uri = test_database();
    PgStore pg(one_group_at_a_time(uri));
    install_gates(uri);
    Gate gate(uri, kFirstGate);
    std::thread first(
        [&] { EXPECT_EQ(pg.append("gate", tick(1, "g"), "g1").status, Status::stored); });
    wait_until([&] { return gate.waited_at(uri); }, "the first group at the gate");

    AppendOutcome bad;
    std::atomic<int> stored{0};
    std::vector<std::thread> senders;
    senders.emplace_back([&] { bad = pg.append("bad", tick(5, "refused"), "x1"); });
    for (int m = 0; m < 5; ++m) {
        senders.emplace_back([&, m] {
            if (pg.append("good" + std::to_string(m), tick(5, "ok"), "x1").status ==
                Status::stored) {
                stored++;
            }
        });
    }
    wait_until([&] { return pg.batches_queued() == 6; }, "6 batches queued");
    gate.open();
    first.join();
    for (auto& t : senders) t.join();

    EXPECT_EQ(bad.status, Status::failed);
    EXPECT_EQ(bad.error, "storage failed: the database refused the batch");
    EXPECT_EQ(stored, 5);
    EXPECT_EQ(stored_batches(uri, "good%"), 5);
    EXPECT_EQ(stored_batches(uri, "bad"), 0);
    EXPECT_FALSE(pg.problem());  // one refused batch says nothing about the database
    EXPECT_EQ(pg.machine_count(), 6u);
}

TEST(PgStoreGroupCommit, TheDatabaseFailingMidGroupFailsEveryWaiterAndAcknowledgesNothing) {
    auto& server = PostgresEnvironment::server();
    const auto uri = test_database();
    PgStore pg(one_group_at_a_time(uri));
    install_gates(uri);
    Gate first_gate(uri, kFirstGate);
    Gate second_gate(uri, kSecondGate);
    std::thread first(
        [&] { EXPECT_EQ(pg.append("gate", tick(1, "g"), "g1").status, Status::stored); });
    wait_until([&] { return first_gate.waited_at(uri); }, "the first group at the gate");

    // Six batches (four with a batch_id, two without) queue behind it and form the second
    // group, which the database loses while it is inside.
    std::vector<AppendOutcome> outcomes(6);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        senders.emplace_back([&, i] {
            const auto id =
                i < 4 ? std::optional<std::string>("h" + std::to_string(i)) : std::nullopt;
            outcomes[i] = pg.append("held-" + std::to_string(i), tick(2, "h"), id);
        });
    }
    wait_until([&] { return pg.batches_queued() == 6; }, "6 batches queued");
    first_gate.open();
    first.join();  // the first group committed: stored
    wait_until([&] { return second_gate.waited_at(uri); }, "the second group at its gate");
    server.stop();
    for (auto& t : senders) t.join();
    for (const auto& outcome : outcomes) {
        EXPECT_EQ(outcome.status, Status::failed);
        EXPECT_EQ(outcome.error, "storage failed: the database is unavailable");
    }
    EXPECT_TRUE(pg.problem());
    server.start();

    EXPECT_EQ(stored_batches(uri, "held-%"), 0);
    EXPECT_EQ(stored_batches(uri, "gate"), 1);
    // Sent again (as pcc does after a 503), every batch is stored once.
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(
            pg.append("held-" + std::to_string(i), tick(2, "h"), "h" + std::to_string(i)).status,
            Status::stored);
    }
    EXPECT_EQ(stored_batches(uri, "held-%"), 4);
    EXPECT_FALSE(pg.problem());
}
