// Schema migrations on a real PostgreSQL: applied once, again as a no-op, by replicas starting
// at once, and a database newer than this build refused.
#include "pc/store/pg_schema.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "pc/core/error.hpp"
#include "postgres_server.hpp"

using pc::store::PgConnectInfo;
using pc::store::PgConnection;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

PgConnectInfo connect(const std::string& uri) {
    return PgConnectInfo{uri, std::nullopt, "pctest"};
}

}  // namespace

TEST(PgSchema, MigratesAnEmptyDatabaseOnceAndThenFindsItCurrent) {
    PgConnection conn(connect(PostgresEnvironment::server().create_database("schema_once")));
    EXPECT_EQ(pc::store::migrate_schema(conn), 0);
    EXPECT_EQ(pc::store::migrate_schema(conn), pc::store::latest_schema_version());
    EXPECT_EQ(conn.exec("SELECT count(*) FROM schema_version").int64(0, 0),
              pc::store::latest_schema_version());
}

TEST(PgSchema, ReplicasMigratingAtOnceAllComeUp) {
    const auto uri = PostgresEnvironment::server().create_database("schema_race");
    std::vector<std::thread> replicas;
    std::atomic<int> ok{0}, from_empty{0};
    for (int i = 0; i < 6; ++i) {
        replicas.emplace_back([&] {
            try {
                PgConnection conn(connect(uri));
                if (pc::store::migrate_schema(conn) == 0) from_empty++;
                ok++;
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
            }
        });
    }
    for (auto& t : replicas) t.join();
    EXPECT_EQ(ok, 6);
    EXPECT_GE(from_empty, 1);
    PgConnection conn(connect(uri));
    EXPECT_EQ(conn.exec("SELECT count(*) FROM schema_version").int64(0, 0),
              pc::store::latest_schema_version());
}

TEST(PgSchema, RefusesADatabaseNewerThanThisBuild) {
    PgConnection conn(connect(PostgresEnvironment::server().create_database("schema_newer")));
    pc::store::migrate_schema(conn);
    conn.exec("INSERT INTO schema_version (version) VALUES (999)");
    try {
        pc::store::migrate_schema(conn);
        FAIL() << "accepted a newer schema";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("upgrade pcd"), std::string::npos);
    }
    EXPECT_TRUE(conn.idle());  // rolled back
}
