// A bounded pool of PostgreSQL connections, opened on demand: a caller leases one, and the
// lease gives it back when done, unless it broke (connection lost, a transaction left open):
// then it is closed and the next lease connects anew, which is how pcd reconnects by itself
// after the database was restarted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "pc/store/pg_connect_info.hpp"
#include "pc/store/pg_connection.hpp"

namespace pc::store {

class PgPool {
public:
    class Lease {
    public:
        Lease(PgPool& pool, std::unique_ptr<PgConnection> conn)
            : pool_(&pool), conn_(std::move(conn)) {}
        ~Lease();
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        PgConnection& operator*() const { return *conn_; }
        PgConnection* operator->() const { return conn_.get(); }

    private:
        PgPool* pool_;
        std::unique_ptr<PgConnection> conn_;
    };

    // At most `max_size` connections open at once; a lease waits up to `wait` for one.
    PgPool(PgConnectInfo info, std::size_t max_size,
           std::chrono::milliseconds wait = std::chrono::seconds(10));
    // An idle connection, or a new one. Throws PgError when connecting fails or none frees up.
    Lease acquire();
    std::size_t open_count() const;
    std::size_t max_size() const { return max_size_; }
    const PgConnectInfo& connect_info() const { return info_; }

private:
    void give_back(std::unique_ptr<PgConnection> conn);

    PgConnectInfo info_;
    std::size_t max_size_;
    std::chrono::milliseconds wait_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    std::size_t open_ = 0;  // idle plus leased
};

}  // namespace pc::store
