#include "pc/store/pg_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/identifier.hpp"
#include "pc/store/pg_collection_stream.hpp"
#include "pc/store/pg_schema.hpp"

namespace pc::store {

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string problem_of(const PgError& error) {
    if (error.read_only()) return "the database is read-only";
    return "the database is unavailable: " + std::string(error.what());
}

// The first words of a problem: "the database is read-only" or "... unavailable".
std::string_view kind_of(std::string_view problem) {
    return problem.substr(0, problem.find(':'));
}

}  // namespace

PgStore::PgStore(PgStoreOptions options)
    : options_(std::move(options)), pool_(options_.connect, options_.pool_size) {
    try {
        auto conn = pool_.acquire();
        schema_found_ = migrate_schema(*conn);
        machine_count_ =
            static_cast<std::size_t>(conn->exec("SELECT count(*) FROM machines").int64(0, 0));
    } catch (const PgError& error) {
        throw core::UserError("cannot use the store database " + describe() + ": " + error.what());
    }
    if (machine_count_ > options_.max_machines) {
        spdlog::warn(
            "store: {} machines stored, more than the limit of {} (PCD_MAX_MACHINES): all are "
            "kept and served, new identifiers are refused",
            machine_count_.load(), options_.max_machines);
    }
    prober_ = std::thread([this] { probe_loop(); });
}

PgStore::~PgStore() {
    {
        std::lock_guard lock(probe_mutex_);
        stopping_ = true;
    }
    probe_wake_.notify_all();
    prober_.join();
}

template <typename Work>
auto PgStore::with_connection(Work&& work) const {
    for (int attempt = 0;; ++attempt) {
        try {
            auto conn = pool_.acquire();
            return work(*conn);
        } catch (const PgError& error) {
            if (!error.connection_lost() || attempt > 0) throw;
        }
    }
}

void PgStore::note_failure(const PgError& error) const {
    std::lock_guard lock(problem_mutex_);
    const std::string now = problem_of(error);
    if (!problem_ || kind_of(*problem_) != kind_of(now)) {
        spdlog::error(
            "store: {} ({}); answering 503 until it recovers, further failures are counted, "
            "not logged",
            now, describe());
    }
    problem_ = now;
    ++failures_logged_;
}

void PgStore::note_success() const {
    std::lock_guard lock(problem_mutex_);
    if (problem_) {
        spdlog::info("store: the database is back ({} failure(s) while it was away)",
                     failures_logged_);
        problem_.reset();
        failures_logged_ = 0;
    }
}

std::optional<std::string> PgStore::problem() const {
    std::lock_guard lock(problem_mutex_);
    return problem_;
}

void PgStore::probe_loop() {
    std::unique_lock lock(probe_mutex_);
    while (!probe_wake_.wait_for(lock, options_.probe_interval, [&] { return stopping_; })) {
        lock.unlock();
        try {
            with_connection([&](PgConnection& conn) {
                const auto result = conn.exec(
                    "SELECT current_setting('transaction_read_only'), (SELECT count(*) FROM "
                    "machines)");
                machine_count_ = static_cast<std::size_t>(result.int64(0, 1));
                if (result.value(0, 0) == "on") {
                    throw PgError("read-only", "25006", false);
                }
                return 0;
            });
            note_success();
        } catch (const PgError& error) {
            note_failure(error);
        }
        lock.lock();
    }
}

AppendOutcome PgStore::append(std::string_view identifier,
                              const std::vector<record::Record>& records,
                              const std::optional<std::string>& batch_id) {
    if (!record::valid_identifier(identifier)) {
        throw std::invalid_argument("invalid machine identifier");
    }
    std::string lines;
    std::size_t guess = 0;
    for (const auto& r : records) guess += r.subsystem.size() + r.measurement.size() + 96;
    lines.reserve(guess);
    std::int64_t first = 0, last = 0;
    std::int64_t min = std::numeric_limits<std::int64_t>::max();
    std::int64_t max = std::numeric_limits<std::int64_t>::min();
    for (const auto& r : records) {
        record::encode_record(r, lines);
        min = std::min(min, r.timestamp);
        max = std::max(max, r.timestamp);
    }
    if (!records.empty()) {
        first = records.front().timestamp;
        last = records.back().timestamp;
    } else {
        min = max = 0;
    }
    // A bytea holds at most 1 GiB; pcd's body limit keeps batches far below.
    if (lines.size() >= (std::size_t{1} << 30)) {
        return {AppendOutcome::Status::failed, "batch too large for the database store", 0};
    }
    const std::string id(identifier);
    const std::string s_first = std::to_string(first), s_last = std::to_string(last),
                      s_min = std::to_string(min), s_max = std::to_string(max),
                      s_records = std::to_string(records.size()),
                      s_bytes = std::to_string(lines.size()),
                      s_limit = std::to_string(options_.max_machines),
                      s_now = std::to_string(unix_now());
    // Parameter order of pc_append: machine, batch_id, first, last, min, max, records, bytes,
    // lines, limit, now.
    const std::vector<PgParam> params{{id},
                                      batch_id ? PgParam{*batch_id} : PgParam{},
                                      {s_first},
                                      {s_last},
                                      {s_min},
                                      {s_max},
                                      {s_records},
                                      {s_bytes},
                                      PgParam{std::string_view(lines), true},
                                      {s_limit},
                                      {s_now}};
    const std::string sql =
        "SELECT pc_append($1, $2, $3, $4, $5, $6, $7::integer, $8::integer, $9, $10, $11)";
    std::string status;
    try {
        auto run = [&](PgConnection& conn) {
            return std::string(conn.exec(sql, params).value(0, 0));
        };
        // Without a batch_id a lost answer cannot be told from a lost batch: never sent twice.
        if (batch_id) {
            status = with_connection(run);
        } else {
            auto conn = pool_.acquire();
            status = run(*conn);
        }
    } catch (const PgError& error) {
        note_failure(error);
        return {AppendOutcome::Status::failed,
                "storage failed: " + std::string(error.read_only() ? "the database is read-only"
                                                                   : "the database is unavailable"),
                0};
    }
    note_success();
    if (status == "stored_new") {
        ++machine_count_;
        spdlog::info("store: new machine {}", id);
    }
    if (status.starts_with("stored")) return {AppendOutcome::Status::stored, {}, lines.size()};
    if (status == "duplicate") return {AppendOutcome::Status::duplicate, {}, 0};
    return {AppendOutcome::Status::too_many_machines,
            "pcd stores at most " + std::to_string(options_.max_machines) +
                " machines (PCD_MAX_MACHINES) and " + id +
                " would be a new one: raise the limit or delete machines with "
                "pcctl machines delete",
            0};
}

std::vector<MachineSummary> PgStore::machines() const {
    auto out = with_connection([](PgConnection& conn) {
        const auto result = conn.exec(
            "SELECT identifier, records, bytes, first_timestamp, last_timestamp, last_seen FROM "
            "machines");
        std::vector<MachineSummary> list;
        list.reserve(static_cast<std::size_t>(result.rows()));
        for (int row = 0; row < result.rows(); ++row) {
            list.push_back({std::string(result.value(row, 0)),
                            static_cast<std::uint64_t>(result.int64(row, 1)),
                            static_cast<std::uint64_t>(result.int64(row, 2)), result.int64(row, 3),
                            result.int64(row, 4), result.int64(row, 5)});
        }
        return list;
    });
    machine_count_ = out.size();
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.identifier < b.identifier; });
    return out;
}

std::size_t PgStore::machine_count() const {
    if (problem()) return machine_count_;
    try {
        machine_count_ = with_connection([](PgConnection& conn) {
            return static_cast<std::size_t>(conn.exec("SELECT count(*) FROM machines").int64(0, 0));
        });
    } catch (const PgError& error) {
        note_failure(error);
    }
    return machine_count_;
}

std::optional<TrimResult> PgStore::trim(std::string_view identifier, std::int64_t before) {
    const std::string id(identifier);
    const std::string cut = std::to_string(before);
    auto result = with_connection([&](PgConnection& conn) {
        return conn.exec(
            "SELECT removed_batches, removed_records, removed_bytes FROM pc_trim($1, $2)",
            {{id}, {cut}});
    });
    if (result.rows() == 0 || result.is_null(0, 0)) return std::nullopt;
    TrimResult out{static_cast<std::uint64_t>(result.int64(0, 0)),
                   static_cast<std::uint64_t>(result.int64(0, 1)),
                   static_cast<std::uint64_t>(result.int64(0, 2))};
    if (out.batches > 0) {
        spdlog::info("store: {}: removed {} records ({} bytes) older than {}", id, out.records,
                     out.bytes, before);
    }
    return out;
}

std::optional<MachineSummary> PgStore::remove(std::string_view identifier) {
    const std::string id(identifier);
    auto result = with_connection([&](PgConnection& conn) {
        return conn.exec(
            "DELETE FROM machines WHERE identifier = $1 RETURNING identifier, records, bytes, "
            "first_timestamp, last_timestamp, last_seen",
            {{id}});
    });
    if (result.rows() == 0) return std::nullopt;
    if (machine_count_ > 0) --machine_count_;
    spdlog::info("store: {}: deleted its collection", id);
    return MachineSummary{id,
                          static_cast<std::uint64_t>(result.int64(0, 1)),
                          static_cast<std::uint64_t>(result.int64(0, 2)),
                          result.int64(0, 3),
                          result.int64(0, 4),
                          result.int64(0, 5)};
}

std::unique_ptr<CollectionStream> PgStore::read(std::string_view identifier,
                                                TimeRange range) const {
    const std::string id(identifier);
    auto result = with_connection([&](PgConnection& conn) {
        return conn.exec(
            "SELECT coalesce((SELECT max(seq) FROM batches WHERE machine = $1), 0) FROM machines "
            "WHERE identifier = $1",
            {{id}});
    });
    if (result.rows() == 0) return nullptr;
    return std::make_unique<PgCollectionStream>(pool_, id, range, result.int64(0, 0));
}

std::string PgStore::describe() const {
    return "PostgreSQL " + redacted_uri(options_.connect.uri);
}

}  // namespace pc::store
