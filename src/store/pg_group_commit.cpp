#include "pc/store/pg_group_commit.hpp"

#include <algorithm>
#include <exception>
#include <vector>

namespace pc::store {

PgGroupCommit::PgGroupCommit(Commit commit, std::size_t max_in_flight, std::size_t max_batches,
                             std::size_t max_bytes)
    : commit_(std::move(commit)),
      max_in_flight_(std::max<std::size_t>(max_in_flight, 1)),
      max_batches_(std::max<std::size_t>(max_batches, 1)),
      max_bytes_(max_bytes) {}

void PgGroupCommit::submit(PgPendingAppend& pending) {
    std::unique_lock lock(mutex_);
    pending.done_ = false;
    pending.status.clear();
    pending.error.reset();
    queue_.push_back(&pending);
    while (!pending.done_) {
        if (in_flight_ < max_in_flight_ && !queue_.empty()) {
            run_group(lock);
        } else {
            pending.wake_.wait(lock);
        }
    }
}

void PgGroupCommit::run_group(std::unique_lock<std::mutex>& lock) {
    std::vector<PgPendingAppend*> group;
    std::size_t bytes = 0;
    while (!queue_.empty() && group.size() < max_batches_) {
        PgPendingAppend* next = queue_.front();
        if (!group.empty() && bytes + next->lines.size() > max_bytes_) break;
        bytes += next->lines.size();
        group.push_back(next);
        queue_.pop_front();
    }
    ++in_flight_;
    // Batches left over may form the next group now, on another connection.
    if (!queue_.empty() && in_flight_ < max_in_flight_) queue_.front()->wake_.notify_one();
    lock.unlock();
    std::optional<PgError> failure;
    try {
        commit_(group);
    } catch (const PgError& error) {
        failure = error;
    } catch (const std::exception& error) {
        failure = PgError(error.what(), "", false);
    }
    lock.lock();
    --in_flight_;
    ++groups_;
    batches_ += group.size();
    for (PgPendingAppend* p : group) {
        if (failure && p->status.empty() && !p->error) p->error = failure;
        if (p->status.empty() && !p->error) {
            p->error = PgError("the batch was not stored (no answer for it)", "", false);
        }
        p->done_ = true;
        // Under the lock: once it sees done_, the waiter may return and destroy `p`.
        p->wake_.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake_.notify_one();
}

std::uint64_t PgGroupCommit::groups() const {
    std::lock_guard lock(mutex_);
    return groups_;
}

std::size_t PgGroupCommit::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::uint64_t PgGroupCommit::batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
}

}  // namespace pc::store
