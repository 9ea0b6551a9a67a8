// The connection pool on a real PostgreSQL: reuse, the bound, and broken connections dropped.
#include "pc/store/pg_pool.hpp"

#include <gtest/gtest.h>

#include "postgres_server.hpp"

using pc::store::PgError;
using pc::store::PgPool;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

}  // namespace

TEST(PgPool, ReusesConnectionsAndWaitsAtItsBound) {
    PgPool pool({PostgresEnvironment::server().uri(), std::nullopt, "pctest"}, 2,
                std::chrono::milliseconds(200));
    std::string first_pid;
    {
        auto a = pool.acquire();
        first_pid = std::string(a->exec("SELECT pg_backend_pid()").value(0, 0));
    }
    {
        auto a = pool.acquire();
        EXPECT_EQ(a->exec("SELECT pg_backend_pid()").value(0, 0), first_pid);
        auto b = pool.acquire();
        EXPECT_EQ(pool.open_count(), 2u);
        try {
            pool.acquire();
            FAIL() << "a third connection from a pool of two";
        } catch (const PgError& e) {
            EXPECT_NE(std::string(e.what()).find("PCD_STORE_POOL"), std::string::npos);
        }
    }
    EXPECT_EQ(pool.open_count(), 2u);
}

TEST(PgPool, DropsABrokenConnectionAndTheNextLeaseReconnects) {
    auto& server = PostgresEnvironment::server();
    PgPool pool({server.uri(), std::nullopt, "pctest"}, 4);
    std::string pid;
    {
        auto a = pool.acquire();
        pid = std::string(a->exec("SELECT pg_backend_pid()").value(0, 0));
    }
    server.query("SELECT pg_terminate_backend(" + pid + ")");
    {
        auto a = pool.acquire();
        try {
            a->exec("SELECT 1");
            FAIL() << "a terminated connection answered";
        } catch (const PgError& e) {
            EXPECT_TRUE(e.connection_lost());
        }
    }
    EXPECT_EQ(pool.open_count(), 0u);
    auto b = pool.acquire();
    EXPECT_NE(b->exec("SELECT pg_backend_pid()").value(0, 0), pid);
}

TEST(PgPool, ATransactionLeftOpenIsNotHandedOut) {
    PgPool pool({PostgresEnvironment::server().uri(), std::nullopt, "pctest"}, 4);
    {
        auto a = pool.acquire();
        a->exec("BEGIN");
    }
    EXPECT_EQ(pool.open_count(), 0u);
}
