#include "pc/server/database_keys.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace pc::server {

DatabaseKeyEntries key_entries(const std::vector<store::DatabaseKey>& keys) {
    DatabaseKeyEntries out;
    for (const auto& k : keys) {
        keys::KeyEntry entry{0, k.digest, true, k.identifiers};
        (k.kind == store::KeyKind::admin ? out.admin : out.api).push_back(std::move(entry));
    }
    return out;
}

DatabaseKeyRefresh::DatabaseKeyRefresh(KeyRing& ring, DatabaseKeyReader reader,
                                       std::chrono::milliseconds interval)
    : ring_(ring), reader_(std::move(reader)), interval_(interval) {}

DatabaseKeyRefresh::~DatabaseKeyRefresh() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool DatabaseKeyRefresh::refresh() {
    std::vector<store::DatabaseKey> keys;
    try {
        keys = reader_();
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        ++failures_;
        if (!failing_) {
            failing_ = true;
            spdlog::error(
                "database keys: cannot read them ({}); keeping the {} keys read before, "
                "retrying every refresh (PCD_KEYS_REFRESH) without logging each failure",
                e.what(), last_ ? last_->size() : 0);
        }
        return false;
    }
    auto entries = key_entries(keys);
    const std::size_t api = entries.api.size(), admin = entries.admin.size();
    std::lock_guard lock(mutex_);
    if (!last_ || *last_ != keys) {
        ring_.set_database_keys(std::move(entries.api), std::move(entries.admin));
        spdlog::info("database keys: {} API key(s), {} admin key(s)", api, admin);
        last_ = std::move(keys);
    }
    if (failing_) {
        spdlog::info("database keys: read again after {} failed attempt(s)", failures_);
        failing_ = false;
        failures_ = 0;
    }
    ++refreshes_;
    return true;
}

void DatabaseKeyRefresh::start() {
    thread_ = std::thread([this] { loop(); });
}

void DatabaseKeyRefresh::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

std::uint64_t DatabaseKeyRefresh::refreshes() const {
    std::lock_guard lock(mutex_);
    return refreshes_;
}

void DatabaseKeyRefresh::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        auto ready = [&] { return stopping_ || woken_; };
        if (interval_.count() > 0) {
            wake_.wait_for(lock, interval_, ready);
        } else {
            wake_.wait(lock, ready);
        }
        if (stopping_) return;
        woken_ = false;
        lock.unlock();
        refresh();
        lock.lock();
    }
}

}  // namespace pc::server
