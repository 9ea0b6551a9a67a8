// The PostgreSQL store: any number of pcd replicas over one database. One row per batch (the
// collection lines exactly as the file store encodes them, its batch_id unique per machine) and
// a per-machine summary row updated in the same transaction; an append is one call of the
// database function pc_append (pg_schema.cpp), acknowledged only once it has committed. A
// resend to any replica finds the batch_id taken and answers `duplicate`. The schema is created
// and migrated at start (pg_schema.hpp). A background probe notices a database that is down or
// read-only (problem(), /health) and a pool that drops broken connections reconnects.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "pc/store/pg_connect_info.hpp"
#include "pc/store/pg_pool.hpp"
#include "pc/store/store.hpp"

namespace pc::store {

struct PgStoreOptions {
    PgConnectInfo connect;
    std::size_t pool_size = 16;  // PCD_STORE_POOL
    std::size_t max_machines = 10000;
    std::chrono::milliseconds probe_interval{1000};  // how often the database is checked
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

private:
    // Runs `work` on a pooled connection; once more on a fresh one when the first was lost
    // (a database restart leaves every idle connection broken). Only for idempotent work.
    template <typename Work>
    auto with_connection(Work&& work) const;
    void note_failure(const PgError& error) const;
    void note_success() const;
    void probe_loop();

    PgStoreOptions options_;
    mutable PgPool pool_;
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
