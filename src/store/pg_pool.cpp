#include "pc/store/pg_pool.hpp"

namespace pc::store {

PgPool::Lease::~Lease() {
    if (pool_ && conn_) pool_->give_back(std::move(conn_));
}

PgPool::PgPool(PgConnectInfo info, std::size_t max_size, std::chrono::milliseconds wait)
    : info_(std::move(info)), max_size_(std::max<std::size_t>(max_size, 1)), wait_(wait) {}

PgPool::Lease PgPool::acquire() {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + wait_;
    while (idle_.empty() && open_ >= max_size_) {
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= max_size_) {
            throw PgError("all " + std::to_string(max_size_) +
                              " database connections are busy (PCD_STORE_POOL)",
                          "", false);
        }
    }
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(conn));
    }
    ++open_;  // reserved while connecting, outside the lock
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<PgConnection>(info_));
    } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
    }
}

void PgPool::give_back(std::unique_ptr<PgConnection> conn) {
    const bool keep = conn->idle();
    if (!keep) conn.reset();  // closed outside the lock
    std::lock_guard lock(mutex_);
    if (keep) {
        idle_.push_back(std::move(conn));
    } else {
        --open_;
    }
    freed_.notify_one();
}

std::size_t PgPool::open_count() const {
    std::lock_guard lock(mutex_);
    return open_;
}

}  // namespace pc::store
