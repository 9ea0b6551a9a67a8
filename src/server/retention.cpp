#include "pc/server/retention.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "pc/store/store.hpp"

namespace pc::server {

std::chrono::seconds retention_slack(std::chrono::seconds keep) {
    return std::min<std::chrono::seconds>(keep / 10, std::chrono::hours(24));
}

std::uint64_t enforce_retention(store::Store& store, std::chrono::seconds keep, std::int64_t now) {
    const std::int64_t cutoff = now - keep.count();
    const std::int64_t due = cutoff - retention_slack(keep).count();
    std::uint64_t removed = 0;
    std::vector<store::MachineSummary> machines;
    try {
        machines = store.machines();
    } catch (const std::exception& e) {
        spdlog::error("retention: cannot list the machines, trying again later: {}", e.what());
        return 0;
    }
    for (const auto& m : machines) {
        if (m.records == 0 || m.first_timestamp >= due) continue;
        try {
            if (auto result = store.trim(m.identifier, cutoff)) removed += result->records;
        } catch (const std::exception& e) {
            spdlog::error("retention: {}: trim failed, data kept: {}", m.identifier, e.what());
        }
    }
    return removed;
}

RetentionTask::RetentionTask(store::Store& store, std::chrono::seconds keep,
                             std::chrono::seconds interval)
    : store_(store), keep_(keep), interval_(interval) {
    if (keep_.count() > 0) thread_ = std::thread([this] { loop(); });
}

RetentionTask::~RetentionTask() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RetentionTask::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const auto removed = enforce_retention(store_, keep_, now);
        if (removed > 0) spdlog::info("retention: removed {} records in total", removed);
        lock.lock();
        wake_.wait_for(lock, interval_, [&] { return stopping_; });
    }
}

}  // namespace pc::server
