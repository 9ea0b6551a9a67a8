// The database's key table (migration 2) on a real, throw-away PostgreSQL: only digests, the
// two kinds apart, identifier patterns kept, a key stored once, removal.
#include "pc/store/pg_key_table.hpp"

#include <gtest/gtest.h>

#include "pc/keys/key_file.hpp"
#include "pc/store/pg_schema.hpp"
#include "postgres_server.hpp"

using pc::store::DatabaseKey;
using pc::store::KeyKind;
using pc::store::PgConnection;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

std::unique_ptr<PgConnection> migrated(const std::string& name) {
    auto conn = std::make_unique<PgConnection>(pc::store::PgConnectInfo{
        PostgresEnvironment::server().create_database(name), std::nullopt, "pctest"});
    pc::store::migrate_schema(*conn);
    return conn;
}

std::string digest_of(const std::string& key) {
    return pc::keys::KeyEntry{0, key, false, {}}.digest_hex();
}

}  // namespace

TEST(PgKeyTable, StoresListsAndDeletesDigestsByKind) {
    auto conn = migrated("keys_basic");
    const DatabaseKey api{KeyKind::api, digest_of("machine-key-1"), {"web-*", "db-01"}, 0};
    const DatabaseKey admin{KeyKind::admin, digest_of("admin-key-1"), {}, 1700000000};
    EXPECT_TRUE(pc::store::insert_database_key(*conn, api));
    EXPECT_TRUE(pc::store::insert_database_key(*conn, admin));
    // The same key as an admin key too is another row; the same kind twice is refused.
    EXPECT_TRUE(pc::store::insert_database_key(
        *conn, DatabaseKey{KeyKind::admin, digest_of("machine-key-1"), {}, 0}));
    EXPECT_FALSE(pc::store::insert_database_key(*conn, api));

    const auto apis = pc::store::list_database_keys(*conn, KeyKind::api);
    ASSERT_EQ(apis.size(), 1u);
    EXPECT_EQ(apis[0].digest, api.digest);
    EXPECT_EQ(apis[0].identifiers, (std::vector<std::string>{"web-*", "db-01"}));
    EXPECT_GT(apis[0].created, 1700000000);  // set by the database
    EXPECT_EQ(apis[0].fingerprint(), pc::keys::key_fingerprint("machine-key-1"));
    const auto admins = pc::store::list_database_keys(*conn, KeyKind::admin);
    ASSERT_EQ(admins.size(), 2u);
    EXPECT_EQ(admins[0].created, 1700000000);  // oldest first
    EXPECT_TRUE(admins[0].identifiers.empty());
    EXPECT_EQ(pc::store::list_database_keys(*conn).size(), 3u);

    EXPECT_TRUE(pc::store::delete_database_key(*conn, KeyKind::api, api.digest));
    EXPECT_FALSE(pc::store::delete_database_key(*conn, KeyKind::api, api.digest));
    EXPECT_TRUE(pc::store::list_database_keys(*conn, KeyKind::api).empty());
    EXPECT_EQ(pc::store::list_database_keys(*conn, KeyKind::admin).size(), 2u);
}

TEST(PgKeyTable, HoldsOnlyDigestsNeverKeys) {
    auto conn = migrated("keys_digests_only");
    EXPECT_THROW(pc::store::insert_database_key(
                     *conn, DatabaseKey{KeyKind::api, "plain-key-not-a-digest", {}, 0}),
                 std::invalid_argument);
    std::string upper = digest_of("k-123456789");
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_THROW(pc::store::insert_database_key(*conn, DatabaseKey{KeyKind::api, upper, {}, 0}),
                 std::invalid_argument);
    // The table itself refuses anything else, whoever writes it.
    EXPECT_THROW(conn->exec("INSERT INTO access_keys (kind, digest, created) VALUES ('api', "
                            "'not-hex', 0)"),
                 pc::store::PgError);
    EXPECT_THROW(conn->exec("INSERT INTO access_keys (kind, digest, created) VALUES ('root', '" +
                            digest_of("k-123456789") + "', 0)"),
                 pc::store::PgError);
}
