// The database's keys in pcd's KeyRing: the union with the files, refreshed in the background
// (timer and wake), a removed key refused after the next refresh, the last good keys kept while
// the database cannot be read (logged once per episode, never a key), admin keys from the
// database enabling the admin side.
#include "pc/server/database_keys.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "log_capture.hpp"
#include "pc/core/error.hpp"
#include "pc/server/admin_key.hpp"
#include "pc/store/pg_connection.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using pc::server::AdminKeyVerdict;
using pc::server::DatabaseKeyRefresh;
using pc::server::KeyRing;
using pc::store::DatabaseKey;
using pc::store::KeyKind;

namespace {

std::string digest_of(const std::string& key) {
    return pc::keys::KeyEntry{0, key, false, {}}.digest_hex();
}

// What a test's fake database holds, and whether it answers.
struct FakeDatabase {
    std::mutex mutex;
    std::vector<DatabaseKey> keys;
    bool down = false;
    std::atomic<int> reads{0};

    pc::server::DatabaseKeyReader reader() {
        return [this] {
            ++reads;
            std::lock_guard lock(mutex);
            if (down) throw pc::store::PgError("connection refused", "", true);
            return keys;
        };
    }
    void set(std::vector<DatabaseKey> now) {
        std::lock_guard lock(mutex);
        keys = std::move(now);
    }
};

bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

}  // namespace

TEST(DatabaseKeys, TheRingAcceptsTheFilesAndTheDatabaseTogether) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "apikeys", "file-key-123\n");
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.expect_database_keys();
    ring.load();
    EXPECT_EQ(ring.admin_keys(), nullptr) << "no admin file and no admin key in the database";

    FakeDatabase db;
    db.set({{KeyKind::api, digest_of("db-key-1234"), {"web-*"}, 1},
            {KeyKind::admin, digest_of("db-admin-1234"), {}, 1}});
    DatabaseKeyRefresh refresh(ring, db.reader(), 0ms);
    ASSERT_TRUE(refresh.refresh());
    EXPECT_TRUE(ring.api_keys()->contains("file-key-123"));
    EXPECT_EQ(ring.api_keys()->check("db-key-1234", "web-01"), pc::server::KeySet::Access::allowed);
    EXPECT_EQ(ring.api_keys()->check("db-key-1234", "db-01"),
              pc::server::KeySet::Access::other_identifier);
    EXPECT_EQ(pc::server::check_admin_key(ring, "db-admin-1234"), AdminKeyVerdict::admin);
    EXPECT_EQ(pc::server::check_admin_key(ring, "db-key-1234"), AdminKeyVerdict::machine_key);

    // Reloading the files keeps the database's keys.
    pc::test::write_file(dir / "apikeys", "file-key-456\n");
    ring.load();
    EXPECT_FALSE(ring.api_keys()->contains("file-key-123"));
    EXPECT_TRUE(ring.api_keys()->contains("file-key-456"));
    EXPECT_TRUE(ring.api_keys()->contains("db-key-1234"));
    EXPECT_EQ(pc::server::check_admin_key(ring, "db-admin-1234"), AdminKeyVerdict::admin);
}

TEST(DatabaseKeys, WithADatabaseTheApiKeysFileMayBeMissing) {
    pc::test::TempDir dir;
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    EXPECT_THROW(ring.load(), pc::core::UserError);
    ring.expect_database_keys();
    ring.load();
    EXPECT_EQ(ring.api_keys()->size(), 0u);
    ring.set_database_keys({{0, digest_of("only-in-db-1"), true, {}}}, {});
    EXPECT_TRUE(ring.api_keys()->contains("only-in-db-1"));
}

TEST(DatabaseKeys, ARemovedKeyIsRefusedAfterTheNextTimedRefresh) {
    pc::test::TempDir dir;
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.expect_database_keys();
    ring.load();
    FakeDatabase db;
    db.set({{KeyKind::api, digest_of("db-key-1234"), {}, 1}});
    DatabaseKeyRefresh refresh(ring, db.reader(), 20ms);
    refresh.refresh();
    refresh.start();
    EXPECT_TRUE(ring.api_keys()->contains("db-key-1234"));
    db.set({{KeyKind::api, digest_of("db-key-5678"), {}, 2}});
    EXPECT_TRUE(eventually([&] { return !ring.api_keys()->contains("db-key-1234"); }));
    EXPECT_TRUE(ring.api_keys()->contains("db-key-5678"));
}

TEST(DatabaseKeys, WakeRefreshesAtOnceWithoutATimer) {
    pc::test::TempDir dir;
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.expect_database_keys();
    ring.load();
    FakeDatabase db;
    DatabaseKeyRefresh refresh(ring, db.reader(), 0ms);  // off: start and SIGHUP only
    refresh.refresh();
    refresh.start();
    db.set({{KeyKind::admin, digest_of("new-admin-1234"), {}, 1}});
    EXPECT_EQ(ring.admin_keys(), nullptr);
    refresh.wake();
    EXPECT_TRUE(eventually([&] { return ring.admin_keys() != nullptr; }));
    EXPECT_TRUE(ring.admin_keys()->contains("new-admin-1234"));
    EXPECT_EQ(refresh.refreshes(), 2u);
}

TEST(DatabaseKeys, ADatabaseThatIsDownKeepsTheLastKeysAndIsLoggedOncePerEpisode) {
    pc::test::LogCapture log;
    pc::test::TempDir dir;
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.expect_database_keys();
    ring.load();
    FakeDatabase db;
    db.set({{KeyKind::api, digest_of("kept-key-1234"), {}, 1}});
    DatabaseKeyRefresh refresh(ring, db.reader(), 5ms);
    ASSERT_TRUE(refresh.refresh());
    {
        std::lock_guard lock(db.mutex);
        db.down = true;
    }
    refresh.start();
    const int before = db.reads;
    ASSERT_TRUE(eventually([&] { return db.reads > before + 5; }));
    EXPECT_TRUE(ring.api_keys()->contains("kept-key-1234"));
    EXPECT_EQ(log.count("database keys: cannot read them"), 1u) << log.text();
    {
        std::lock_guard lock(db.mutex);
        db.down = false;
    }
    ASSERT_TRUE(eventually([&] { return log.count("database keys: read again") == 1; }))
        << log.text();
    EXPECT_EQ(log.text().find("kept-key-1234"), std::string::npos) << "never a key in the log";
    EXPECT_EQ(log.text().find(digest_of("kept-key-1234")), std::string::npos);
}
