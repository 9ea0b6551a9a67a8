// Group commit for the PostgreSQL store: while one transaction commits, the batches that
// arrive queue up, and the next free committer stores all of them in ONE transaction (one
// statement, one WAL flush). A caller blocks in submit() until its own batch has a result:
// the group's commit callback sets one per batch (stored, duplicate, ... or the error that
// failed it). At most `max_in_flight` groups run at once (each on its own connection); a
// group holds at most `max_batches` batches and, past its first batch, at most `max_bytes`
// of collection lines.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "pc/store/pg_connection.hpp"

namespace pc::store {

// One batch waiting to be stored: pc_append's parameters, and its result once committed.
struct PgPendingAppend {
    std::string identifier;
    std::optional<std::string> batch_id;
    std::int64_t first = 0, last = 0, min = 0, max = 0;
    std::int64_t records = 0;
    std::string lines;  // the collection lines, as the file store encodes them

    // Set by the commit callback: pc_append's answer ("stored", "stored_new", "duplicate",
    // "too_many_machines"), or the error that kept the batch from being stored.
    std::string status;
    std::optional<PgError> error;

private:
    friend class PgGroupCommit;
    bool done_ = false;
    std::condition_variable wake_;
};

class PgGroupCommit {
public:
    // Stores a group: sets status or error of every batch. May throw: then every batch of
    // the group that has neither gets that error.
    using Commit = std::function<void(std::span<PgPendingAppend* const> group)>;

    PgGroupCommit(Commit commit, std::size_t max_in_flight, std::size_t max_batches,
                  std::size_t max_bytes);
    PgGroupCommit(const PgGroupCommit&) = delete;
    PgGroupCommit& operator=(const PgGroupCommit&) = delete;

    // Queues `pending` and returns once its group was committed (or failed). The caller's
    // thread may commit a group itself, its own batch and those queued with it.
    void submit(PgPendingAppend& pending);

    // Groups committed so far and the batches they held, and the batches waiting now
    // (figures for tests and logs).
    std::uint64_t groups() const;
    std::size_t queued() const;
    std::uint64_t batches() const;

private:
    void run_group(std::unique_lock<std::mutex>& lock);

    Commit commit_;
    std::size_t max_in_flight_, max_batches_, max_bytes_;
    mutable std::mutex mutex_;
    std::deque<PgPendingAppend*> queue_;
    std::size_t in_flight_ = 0;
    std::uint64_t groups_ = 0, batches_ = 0;
};

}  // namespace pc::store
