// The store URI: checked, shown without its password, the password read from a file.
#include "pc/store/pg_connect_info.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"
#include "pc/store/pg_connection.hpp"
#include "postgres_server.hpp"
#include "test_support.hpp"

using pc::store::make_connect_info;
using pc::store::redacted_uri;

TEST(PgConnectInfo, RedactsThePasswordOfTheUserPartAndOfTheParameters) {
    EXPECT_EQ(redacted_uri("postgresql://pcd:pw@db:5432/pcd"), "postgresql://pcd@db:5432/pcd");
    EXPECT_EQ(redacted_uri("postgres://pcd@db/pcd?sslmode=require"),
              "postgres://pcd@db/pcd?sslmode=require");
    EXPECT_EQ(redacted_uri("postgresql://db/pcd?user=a&password=pw&sslmode=require"),
              "postgresql://db/pcd?user=a&password=REDACTED&sslmode=require");
    EXPECT_EQ(redacted_uri("postgresql://u:p%40ss@[::1]:5/d"), "postgresql://u@[::1]:5/d");
}

TEST(PgConnectInfo, RefusesWhatIsNotAPostgresUriNamingTheSetting) {
    try {
        make_connect_info("mysql://x", "PCD_STORE", std::nullopt);
        FAIL();
    } catch (const pc::core::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("PCD_STORE"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("postgresql://"), std::string::npos);
    }
    try {
        make_connect_info("postgresql://u:secret@h/d?bogus=1", "--store", std::nullopt);
        FAIL();
    } catch (const pc::core::UsageError& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--store"), std::string::npos);
    }
}

TEST(PgConnectInfo, ThePasswordFileIsReadAndUsed) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "pw", "from-file\n");
    auto info = make_connect_info("postgresql://pcd@127.0.0.1/pcd", "PCD_STORE", dir / "pw");
    EXPECT_EQ(info.password, "from-file");
    pc::test::write_file(dir / "empty", "");
    EXPECT_THROW(make_connect_info("postgresql://h/d", "PCD_STORE", dir / "empty"),
                 pc::core::UserError);
    EXPECT_THROW(make_connect_info("postgresql://h/d", "PCD_STORE", dir / "missing"),
                 pc::core::UserError);
}

TEST(PgConnectInfo, ThePasswordFromTheFileIsTheOneUsed) {
    auto& server = pc::test::PostgresEnvironment::server();
    const std::string role = pc::test::PostgresServer::kPasswordRole;
    server.query("DO $$ BEGIN CREATE ROLE " + role +
                 " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    server.query("ALTER ROLE " + role + " PASSWORD 'right-one'");
    pc::test::TempDir dir;
    pc::test::write_file(dir / "right", "right-one\n");
    pc::test::write_file(dir / "wrong", "wrong-one\n");
    const auto uri =
        "postgresql://" + role + "@127.0.0.1:" + std::to_string(server.port()) + "/postgres";
    pc::store::PgConnection conn(make_connect_info(uri, "PCD_STORE", dir / "right"));
    EXPECT_EQ(conn.exec("SELECT current_user").value(0, 0), role);
    try {
        pc::store::PgConnection refused(make_connect_info(uri, "PCD_STORE", dir / "wrong"));
        FAIL() << "a wrong password was accepted";
    } catch (const pc::store::PgError& e) {
        EXPECT_EQ(std::string(e.what()).find("wrong-one"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("password"), std::string::npos) << e.what();
    }
}
