// The PostgreSQL store: any number of pcd replicas over one database. One row per batch (the
// collection lines exactly as the file store encodes them, its batch_id unique per machine) and
// a per-machine summary row updated in the same transaction by the database function
// pc_append (pg_schema.cpp). Appends are group-committed (pg_group_commit.hpp): the batches
// that arrive while a transaction commits are stored together by one statement that calls
// pc_append once per batch, in one transaction; each is acknowledged only once that has
// committed, and a group the database refuses is retried batch by batch. A resend to any replica
// finds the batch_id taken and answers `duplicate`. The schema is created and migrated at start
// (pg_schema.hpp). A background probe notices a database that is down or read-only (problem(),
// /health) and a pool that drops broken connections reconnects.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>

#include "pc/store/pg_connect_info.hpp"
#include "pc/store/pg_group_commit.hpp"
#include "pc/store/pg_pool.hpp"
#include "pc/store/store.hpp"

namespace pc::store {

struct PgStoreOptions {
    PgConnectInfo connect;
    std::size_t pool_size = 16;  // PCD_STORE_POOL
    std::size_t max_machines = 10000;
    std::chrono::milliseconds probe_interval{1000};  // how often the database is checked
    // Group commit (pg_group_commit.hpp): groups committing at once, each on a connection of
    // its own, and a group's size at most.
    std::size_t group_commits = 2;
    std::size_t group_batches = 256;
    std::size_t group_bytes = std::size_t{16} << 20;
};

class PgStore final : public Store {
public:
    // Connects and migrates the schema. Throws core::UserError when the database cannot be
    // reached or migrated (the message names the URI without its password).
    explicit PgStore(PgStoreOptions options);
    ~PgStore() override;
    PgStore(const PgStore&) = delete;
    PgStore& operator=(const PgStore&) = delete;

    AppendOutcome append(std::string_view identifier, const std::vector<record::Record>& records,
                         const std::optional<std::string>& batch_id) override;
    // Throw PgError when the database cannot be read.
    std::vector<MachineSummary> machines() const override;
    std::optional<TrimResult> trim(std::string_view identifier, std::int64_t before) override;
    std::optional<MachineSummary> remove(std::string_view identifier) override;
    std::unique_ptr<CollectionStream> read(std::string_view identifier,
                                           TimeRange range) const override;
    // The count of the last successful look; never blocks on a database that is down.
    std::size_t machine_count() const override;
    std::string describe() const override;
    std::optional<std::string> problem() const override;

    // The schema version found at start (0: an empty database).
    int schema_version_found() const { return schema_found_; }
    // Groups committed so far, the batches they held, and the batches waiting for a group.
    std::uint64_t groups_committed() const { return groups_.groups(); }
    std::uint64_t batches_committed() const { return groups_.batches(); }
    std::size_t batches_queued() const { return groups_.queued(); }

private:
    // Runs `work` on a pooled connection; once more on a fresh one when the first was lost
    // (a database restart leaves every idle connection broken). Only for idempotent work.
    template <typename Work>
    auto with_connection(Work&& work) const;
    // Stores a group in one statement and transaction (store_group), each batch on its own
    // when the database refuses the group (store_one); sets every batch's status or error.
    void commit_group(std::span<PgPendingAppend* const> group);
    void store_group(PgConnection& conn, const std::vector<PgPendingAppend*>& pending);
    void store_one(PgPendingAppend& pending);
    void note_failure(const PgError& error) const;
    void note_success() const;
    void probe_loop();

    PgStoreOptions options_;
    mutable PgPool pool_;
    PgGroupCommit groups_;
    int schema_found_ = 0;
    mutable std::atomic<std::size_t> machine_count_{0};

    mutable std::mutex problem_mutex_;
    mutable std::optional<std::string> problem_;
    mutable std::uint64_t failures_logged_ = 0;
    std::mutex probe_mutex_;
    std::condition_variable probe_wake_;
    bool stopping_ = false;
    std::thread prober_;
};

}  // namespace pc::store
