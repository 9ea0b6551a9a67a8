#include <gtest/gtest.h>

#include <cstdlib>

#include "pc/core/error.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/keys/sha256.hpp"
#include "pc/server/admin_key.hpp"
#include "pc/server/config.hpp"
#include "pc/server/key_ring.hpp"
#include "pc/server/rate_limiter.hpp"
#include "pc/server/retention.hpp"
#include "test_support.hpp"

using namespace pc::server;

TEST(PcdConfig, ListenAddressForms) {
    auto a = parse_listen_address("localhost:8080");
    EXPECT_EQ(a.host, "localhost");
    EXPECT_EQ(a.port, 8080);
    a = parse_listen_address("127.0.0.1:0");
    EXPECT_EQ(a.port, 0);
    a = parse_listen_address("[::1]:9000");
    EXPECT_EQ(a.host, "::1");
    a = parse_listen_address(":8080");
    EXPECT_EQ(a.host, "0.0.0.0");
    for (const char* bad : {"localhost", "host:", "host:65536", "host:x", "::1:80"}) {
        EXPECT_THROW(parse_listen_address(bad), pc::core::UserError) << bad;
    }
}

TEST(PcdConfig, MaxBodyUnits) {
    EXPECT_EQ(parse_max_body("16MiB"), 16u << 20);
    EXPECT_EQ(parse_max_body("1048576"), 1048576u);
    EXPECT_EQ(parse_max_body("512k"), 512u << 10);
    EXPECT_EQ(parse_max_body("2MB"), 2000000u);
    for (const char* bad : {"", "MiB", "0", "12 parsecs", "-1"}) {
        EXPECT_THROW(parse_max_body(bad), pc::core::UserError) << bad;
    }
}

TEST(PcdConfig, DefaultsFollowHome) {
    PcdOptions o;
    o.home = "/srv/pcd";
    o.listen_address = "127.0.0.1:0";
    auto c = resolve_config(o);
    EXPECT_EQ(c.apikeys_file, "/srv/pcd/apikeys");
    EXPECT_EQ(c.adminkeys_file, "/srv/pcd/adminkeys");
    EXPECT_EQ(c.datadir, "/srv/pcd/data");
    EXPECT_EQ(c.max_body, 16u << 20);
    EXPECT_FALSE(c.tls());
    o.tls_cert = "cert.pem";
    EXPECT_THROW(resolve_config(o), pc::core::UserError) << "cert without key";
}

TEST(PcdConfig, LoadTestSwitchAndLevelLength) {
    PcdOptions o;
    o.home = "/srv/pcd";
    o.listen_address = "127.0.0.1:0";
    auto c = resolve_config(o);
    EXPECT_TRUE(c.loadtest);
    EXPECT_EQ(c.loadtest_seconds_per_level, 5);
    for (const char* off : {"off", "OFF", "false", "0"}) {
        o.loadtest = off;
        EXPECT_FALSE(resolve_config(o).loadtest) << off;
    }
    o.loadtest = "maybe";
    EXPECT_THROW(resolve_config(o), pc::core::UserError);
    o.loadtest = "on";
    o.loadtest_seconds_per_level = 0.05;
    EXPECT_EQ(resolve_config(o).loadtest_seconds_per_level, 0.05);
    for (double bad : {0.0, -1.0, 12.5}) {
        o.loadtest_seconds_per_level = bad;
        EXPECT_THROW(resolve_config(o), pc::core::UserError) << bad;
    }
}

TEST(PcdConfig, FlagsAndEnvironment) {
    CLI::App app;
    PcdOptions o;
    add_pcd_options(app, o);
    ::setenv("PCD_DATADIR", "/from/env", 1);
    ::setenv("PCD_MAXBODY", "1MiB", 1);
    std::vector<std::string> args = {"--max-body", "2MiB"};
    std::reverse(args.begin(), args.end());
    app.parse(args);
    ::unsetenv("PCD_DATADIR");
    ::unsetenv("PCD_MAXBODY");
    EXPECT_EQ(o.datadir, "/from/env");
    EXPECT_EQ(o.max_body, "2MiB") << "the flag wins over the environment";
}

TEST(PresentedKey, HeaderForms) {
    EXPECT_EQ(presented_key("k1", "Bearer k2", "k3"), "k1");
    EXPECT_EQ(presented_key("", "Bearer k2", "k3"), "k2");
    EXPECT_EQ(presented_key("", "bearer  k2 ", ""), "k2");
    EXPECT_EQ(presented_key("", "Basic abc", "k3"), "k3");
    EXPECT_EQ(presented_key(" ", "", ""), std::nullopt);
}

TEST(KeySet, LooksUpExactKeysOnly) {
    KeySet set({{1, "abcdefgh1"}, {2, "zyxwvuts2"}, {3, "abcdefgh1"}});
    EXPECT_EQ(set.size(), 2u);
    EXPECT_TRUE(set.contains("abcdefgh1"));
    EXPECT_TRUE(set.contains("zyxwvuts2"));
    EXPECT_FALSE(set.contains("abcdefgh"));
    EXPECT_FALSE(set.contains("abcdefgh12"));
    EXPECT_FALSE(set.contains(""));
}

TEST(KeyRing, MissingApiKeysFileIsFatalAndNamesTheFix) {
    pc::test::TempDir dir;
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    try {
        ring.load();
        FAIL() << "expected UserError";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("pcctl apikey generate"), std::string::npos);
    }
}

TEST(KeyRing, ReloadAddsKeysAndAdminFileIsOptional) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "apikeys", "first-key-1\nshort\n");
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.load();
    EXPECT_TRUE(ring.api_keys()->contains("first-key-1"));
    EXPECT_FALSE(ring.api_keys()->contains("short"));
    EXPECT_EQ(ring.admin_keys(), nullptr);
    auto before = ring.api_keys();
    pc::test::write_file(dir / "apikeys", "first-key-1\nsecond-key-2\n");
    pc::test::write_file(dir / "adminkeys", "admin-key-1\n");
    ring.load();
    EXPECT_TRUE(ring.api_keys()->contains("second-key-2"));
    ASSERT_NE(ring.admin_keys(), nullptr);
    EXPECT_TRUE(ring.admin_keys()->contains("admin-key-1"));
    EXPECT_FALSE(before->contains("second-key-2")) << "sets in use are never modified";
}

TEST(KeyRing, AnAdminKeyByDigestIsAcceptedUntilRemovedFromTheFile) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "apikeys", "machine-key-1\n");
    pc::test::write_file(dir / "adminkeys", "admin-key-1\nadmin-key-2\n");
    KeyRing ring(dir / "apikeys", dir / "adminkeys");
    ring.load();
    const auto digest = [](std::string_view key) {
        return pc::keys::to_hex(pc::keys::sha256(key));
    };
    EXPECT_TRUE(ring.admin_keys()->contains_digest(digest("admin-key-1")));
    EXPECT_TRUE(pc::server::admin_key_accepted(ring, digest("admin-key-1")));
    EXPECT_FALSE(pc::server::admin_key_accepted(ring, digest("machine-key-1")));
    EXPECT_FALSE(pc::server::admin_key_accepted(ring, digest("admin-key-1").substr(0, 12)))
        << "a fingerprint is not a digest";
    EXPECT_FALSE(pc::server::admin_key_accepted(ring, ""));
    pc::test::write_file(dir / "adminkeys", "admin-key-2\n");
    ring.load();
    EXPECT_FALSE(pc::server::admin_key_accepted(ring, digest("admin-key-1")));
    EXPECT_TRUE(pc::server::admin_key_accepted(ring, digest("admin-key-2")));
    std::filesystem::remove(dir / "adminkeys");
    ring.load();
    EXPECT_FALSE(pc::server::admin_key_accepted(ring, digest("admin-key-2")))
        << "no admin keys file: no admin key is accepted";
}

TEST(RateLimiter, AllowsBurstThenRefills) {
    RateLimiter limiter(2);  // burst 4
    auto t = RateLimiter::Clock::now();
    int allowed = 0;
    for (int i = 0; i < 10; ++i) allowed += limiter.allow("a", t);
    EXPECT_EQ(allowed, 4);
    EXPECT_TRUE(limiter.allow("b", t)) << "clients are limited separately";
    EXPECT_FALSE(limiter.allow("a", t + std::chrono::milliseconds(100)));
    EXPECT_TRUE(limiter.allow("a", t + std::chrono::milliseconds(600)));
    RateLimiter off(0);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off.allow("a", t));
}

TEST(KeySet, AcceptsKeysStoredAsTheirHashes) {
    auto file =
        pc::keys::parse_key_file("plain-key-0001\n" + pc::keys::hashed_key_line("hashed-key-0002") +
                                 "\n" + pc::keys::hashed_key_line("plain-key-0001") + "\n");
    KeySet set(file.keys);
    EXPECT_EQ(set.size(), 2u);  // the plain key and its hash are one key
    EXPECT_TRUE(set.contains("plain-key-0001"));
    EXPECT_TRUE(set.contains("hashed-key-0002"));
    EXPECT_FALSE(set.contains(pc::keys::hashed_key_line("hashed-key-0002")));  // not a key
    EXPECT_FALSE(set.contains("hashed-key-0003"));
}

TEST(PcdConfig, RetentionTakesDaysAndGoDurations) {
    EXPECT_EQ(parse_retention("", "PCD_RETENTION").count(), 0);
    EXPECT_EQ(parse_retention("0", "PCD_RETENTION").count(), 0);
    EXPECT_EQ(parse_retention("30d", "PCD_RETENTION").count(), 30 * 86400);
    EXPECT_EQ(parse_retention("12h", "PCD_RETENTION").count(), 12 * 3600);
    EXPECT_EQ(parse_retention("1h30m", "PCD_RETENTION").count(), 5400);
    for (const char* bad : {"30 days", "d", "-1h", "1.5d", "x"}) {
        try {
            parse_retention(bad, "PCD_RETENTION");
            ADD_FAILURE() << bad;
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("PCD_RETENTION"), std::string::npos);
        }
    }
    EXPECT_EQ(retention_slack(std::chrono::hours(24 * 30)), std::chrono::hours(24));
    EXPECT_EQ(retention_slack(std::chrono::hours(10)), std::chrono::hours(1));
}

TEST(KeySet, KeysBoundToIdentifiersWriteOnlyThose) {
    auto file = pc::keys::parse_key_file(
        "free-key-0001\n" + pc::keys::hashed_key_line("web-key-0002", {"web-*"}) + "\n" +
        "db-key-00003 db-01 db-02\n"
        // The same key on a second line with another binding: either line's identifiers.
        "db-key-00003 db-03\n");
    KeySet set(file.keys);
    EXPECT_EQ(set.size(), 3u);
    using Access = KeySet::Access;
    EXPECT_EQ(set.check("free-key-0001", "victim"), Access::allowed);
    EXPECT_EQ(set.check("web-key-0002", "web-17"), Access::allowed);
    EXPECT_EQ(set.check("web-key-0002", "victim"), Access::other_identifier);
    EXPECT_EQ(set.check("db-key-00003", "db-02"), Access::allowed);
    EXPECT_EQ(set.check("db-key-00003", "db-03"), Access::allowed);
    EXPECT_EQ(set.check("db-key-00003", "db-04"), Access::other_identifier);
    EXPECT_EQ(set.check("no-such-key-9", "db-01"), Access::unknown_key);
    EXPECT_TRUE(set.contains("web-key-0002"));  // known, whatever it may write
}

TEST(PcdConfig, MachineLimitOpenFilesAndTimestampWindow) {
    PcdOptions o;
    o.home = "/tmp/pcd-home";
    auto c = resolve_config(o);
    EXPECT_EQ(c.max_machines, 10000u);
    EXPECT_EQ(c.open_files, 0u);  // auto
    EXPECT_EQ(c.timestamps.oldest, 946684800);
    EXPECT_EQ(c.timestamps.max_ahead, 86400);

    o.max_machines = 5;
    o.open_files = "64";
    o.min_timestamp = "none";
    o.max_ahead = "90m";
    c = resolve_config(o);
    EXPECT_EQ(c.max_machines, 5u);
    EXPECT_EQ(c.open_files, 64u);
    EXPECT_FALSE(c.timestamps.oldest);
    EXPECT_EQ(c.timestamps.max_ahead, 5400);

    auto refused = [&](PcdOptions bad, const std::string& names) {
        try {
            resolve_config(bad);
            ADD_FAILURE() << names;
        } catch (const pc::core::UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
        }
    };
    PcdOptions bad = o;
    bad.max_machines = 0;
    refused(bad, "PCD_MAX_MACHINES");
    bad = o;
    bad.open_files = "3";
    refused(bad, "PCD_OPEN_FILES");
    bad = o;
    bad.min_timestamp = "2000-01-01";
    refused(bad, "PCD_MIN_TIMESTAMP");
    bad = o;
    bad.max_ahead = "-1h";
    refused(bad, "PCD_MAX_AHEAD");
}

TEST(PcdConfig, StoreIsFileOrAPostgresUriAndThePoolFollowsTheThreads) {
    PcdOptions o;
    o.home = "/srv/pcd";
    auto c = resolve_config(o);
    EXPECT_FALSE(c.database);
    EXPECT_EQ(c.store_pool, 2 * c.threads);
    o.store = "postgresql://pcd@db.example:5432/pcd?sslmode=require";
    o.threads = 16;
    c = resolve_config(o);
    ASSERT_TRUE(c.database);
    EXPECT_EQ(c.database->uri, o.store);
    EXPECT_EQ(c.store_pool, 32u);
    o.store_pool = 5;
    EXPECT_EQ(resolve_config(o).store_pool, 5u);
    o.store = "mysql://db";
    try {
        resolve_config(o);
        FAIL();
    } catch (const pc::core::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("PCD_STORE"), std::string::npos);
    }
    o.store = "file";
    o.store_password_file = "/etc/pcd/pw";
    EXPECT_THROW(resolve_config(o), pc::core::UsageError) << "a password for the file store";
}
