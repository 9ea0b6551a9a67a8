#include "pc/store/pg_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/identifier.hpp"
#include "pc/store/pg_array.hpp"
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
    : options_(std::move(options)),
      pool_(options_.connect, options_.pool_size),
      groups_([this](std::span<PgPendingAppend* const> group) { commit_group(group); },
              options_.group_commits, options_.group_batches, options_.group_bytes) {
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

namespace {

// Parameter order of pc_append: machine, batch_id, first, last, min, max, records, bytes,
// lines, limit, now.
constexpr const char* kAppendOne =
    "SELECT pc_append($1, $2, $3, $4, $5, $6, $7::integer, $8::integer, $9, $10, $11)";
// A whole group in one statement: pc_append once per array element, in array order (unnest
// and WITH ORDINALITY keep it), each answer numbered by its element.
constexpr const char* kAppendGroup =
    "SELECT t.i, pc_append(t.m, t.b, t.f, t.l, t.mn, t.mx, t.r, t.n, t.li, $10, $11) "
    "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], "
    "$6::bigint[], $7::integer[], $8::integer[], $9::bytea[]) "
    "WITH ORDINALITY AS t(m, b, f, l, mn, mx, r, n, li, i)";

// Errors of the batch itself (bad data, a constraint, a RAISE), not of the database: they
// fail that batch only and say nothing about the database's health.
bool refused_batch(const PgError& error) {
    const auto& state = error.sqlstate();
    return !error.connection_lost() &&
           (state.starts_with("22") || state.starts_with("23") || state.starts_with("P0"));
}

}  // namespace

AppendOutcome PgStore::append(std::string_view identifier,
                              const std::vector<record::Record>& records,
                              const std::optional<std::string>& batch_id) {
    if (!record::valid_identifier(identifier)) {
        throw std::invalid_argument("invalid machine identifier");
    }
    PgPendingAppend pending;
    pending.identifier = std::string(identifier);
    pending.batch_id = batch_id;
    std::string& lines = pending.lines;
    std::size_t guess = 0;
    for (const auto& r : records) guess += r.subsystem.size() + r.measurement.size() + 96;
    lines.reserve(guess);
    std::int64_t min = std::numeric_limits<std::int64_t>::max();
    std::int64_t max = std::numeric_limits<std::int64_t>::min();
    for (const auto& r : records) {
        record::encode_record(r, lines);
        min = std::min(min, r.timestamp);
        max = std::max(max, r.timestamp);
    }
    if (!records.empty()) {
        pending.first = records.front().timestamp;
        pending.last = records.back().timestamp;
        pending.min = min;
        pending.max = max;
    }
    pending.records = static_cast<std::int64_t>(records.size());
    // A bytea holds at most 1 GiB; pcd's body limit keeps batches far below.
    if (lines.size() >= (std::size_t{1} << 30)) {
        return {AppendOutcome::Status::failed, "batch too large for the database store", 0};
    }
    groups_.submit(pending);
    const std::string& id = pending.identifier;
    if (pending.error) {
        const PgError& error = *pending.error;
        if (refused_batch(error)) {
            const std::string_view why(error.what());
            spdlog::warn("store: {}: the database refused a batch: {}", id,
                         why.substr(0, why.find("; CONTEXT:")));
            return {AppendOutcome::Status::failed, "storage failed: the database refused the batch",
                    0};
        }
        note_failure(error);
        return {AppendOutcome::Status::failed,
                "storage failed: " + std::string(error.read_only() ? "the database is read-only"
                                                                   : "the database is unavailable"),
                0};
    }
    note_success();
    const std::string& status = pending.status;
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

void PgStore::commit_group(std::span<PgPendingAppend* const> group) {
    std::vector<PgPendingAppend*> pending(group.begin(), group.end());
    if (pending.size() == 1) {
        store_one(*pending.front());
        return;
    }
    // Machines' rows are locked in identifier order by every group on every replica, so two
    // groups never wait for each other in a cycle; one machine's batches keep their order.
    std::stable_sort(pending.begin(), pending.end(),
                     [](const auto* a, const auto* b) { return a->identifier < b->identifier; });
    for (int attempt = 0;; ++attempt) {
        try {
            auto conn = pool_.acquire();
            store_group(*conn, pending);
            return;
        } catch (const PgError& error) {
            if (error.connection_lost() && attempt == 0) {
                // Whether the group committed is unknown. A batch with a batch_id is sent
                // again (found a duplicate if it was stored); one without fails, as it would
                // alone: it must not be stored twice.
                std::erase_if(pending, [&](PgPendingAppend* p) {
                    if (p->batch_id) return false;
                    p->error = error;
                    return true;
                });
                if (pending.empty()) return;
                continue;
            }
            if (error.connection_lost() || error.read_only() || error.sqlstate().empty()) {
                for (auto* p : pending) p->error = error;
                return;
            }
            // The database refused the group (one bad batch, or a deadlock with a new
            // machine's group on another replica): nothing of it was committed. Each batch
            // on its own, so that only a bad one fails.
            for (auto* p : pending) store_one(*p);
            return;
        }
    }
}

void PgStore::store_group(PgConnection& conn, const std::vector<PgPendingAppend*>& pending) {
    PgArrayWriter machines(kPgText), batch_ids(kPgText), firsts(kPgInt8), lasts(kPgInt8),
        mins(kPgInt8), maxes(kPgInt8), records(kPgInt4), bytes(kPgInt4), lines(kPgBytea);
    for (const auto* p : pending) {
        machines.add(p->identifier);
        if (p->batch_id) {
            batch_ids.add(*p->batch_id);
        } else {
            batch_ids.add_null();
        }
        firsts.add_int64(p->first);
        lasts.add_int64(p->last);
        mins.add_int64(p->min);
        maxes.add_int64(p->max);
        records.add_int32(static_cast<std::int32_t>(p->records));
        bytes.add_int32(static_cast<std::int32_t>(p->lines.size()));
        lines.add(p->lines);
    }
    const std::string arrays[] = {machines.finish(), batch_ids.finish(), firsts.finish(),
                                  lasts.finish(),    mins.finish(),      maxes.finish(),
                                  records.finish(),  bytes.finish(),     lines.finish()};
    const std::string s_limit = std::to_string(options_.max_machines),
                      s_now = std::to_string(unix_now());
    std::vector<PgParam> params;
    for (const auto& a : arrays) params.push_back({std::string_view(a), true});
    params.push_back({s_limit});
    params.push_back({s_now});
    const auto result = conn.exec(kAppendGroup, params);
    if (static_cast<std::size_t>(result.rows()) != pending.size()) {
        throw PgError("pc_append answered " + std::to_string(result.rows()) + " rows for " +
                          std::to_string(pending.size()) + " batches",
                      "", false);
    }
    // Committed (the statement ran in a transaction of its own): the answers count.
    for (int row = 0; row < result.rows(); ++row) {
        const auto i = result.int64(row, 0);
        if (i < 1 || static_cast<std::size_t>(i) > pending.size()) continue;
        pending[static_cast<std::size_t>(i - 1)]->status = std::string(result.value(row, 1));
    }
}

void PgStore::store_one(PgPendingAppend& p) {
    const std::string s_first = std::to_string(p.first), s_last = std::to_string(p.last),
                      s_min = std::to_string(p.min), s_max = std::to_string(p.max),
                      s_records = std::to_string(p.records),
                      s_bytes = std::to_string(p.lines.size()),
                      s_limit = std::to_string(options_.max_machines),
                      s_now = std::to_string(unix_now());
    const std::vector<PgParam> params{{p.identifier},
                                      p.batch_id ? PgParam{*p.batch_id} : PgParam{},
                                      {s_first},
                                      {s_last},
                                      {s_min},
                                      {s_max},
                                      {s_records},
                                      {s_bytes},
                                      PgParam{std::string_view(p.lines), true},
                                      {s_limit},
                                      {s_now}};
    try {
        auto run = [&](PgConnection& conn) {
            return std::string(conn.exec(kAppendOne, params).value(0, 0));
        };
        // Without a batch_id a lost answer cannot be told from a lost batch: never sent twice.
        if (p.batch_id) {
            p.status = with_connection(run);
        } else {
            auto conn = pool_.acquire();
            p.status = run(*conn);
        }
    } catch (const PgError& error) {
        p.error = error;
    }
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
