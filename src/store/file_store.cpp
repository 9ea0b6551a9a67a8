#include "pc/store/file_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/record/identifier.hpp"
#include "pc/store/failure_episode.hpp"

namespace pc::store {

namespace {

// The active commit log file is handed to the checkpointer once it holds this much; past the
// hard limit commits wait for the checkpoint of the other file (bounds the replay at startup).
constexpr std::uint64_t kSwitchBytes = 16u << 20;
constexpr std::uint64_t kHardBytes = 48u << 20;
constexpr auto kStuckTimeout = std::chrono::seconds(10);
// Checkpoints of more machines than this use syncfs rather than an fdatasync per file.
constexpr std::size_t kSyncfsMachines = 256;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void make_dir(FileSystem& fs, const std::filesystem::path& dir) {
    if (fs.is_directory(dir)) return;
    try {
        fs.create_directories(dir);
    } catch (const std::system_error& ex) {
        throw core::UserError("cannot create data directory " + dir.string() + ": " +
                              ex.code().message());
    }
    fs.set_permissions(dir, 0750);
    fs.sync_directory(dir.parent_path());
}

// A full, read-only or failing disk refuses every request until it recovers: only the first
// failure of the episode is logged, the others are counted. Its end is logged by commit_group.
void report_storage_failure(std::size_t batches, const std::string& error) {
    if (storage_episode().failed()) {
        spdlog::error(
            "store: storing {} batch(es) failed: {} (answering 503 until storage recovers; "
            "further failures are counted, not logged)",
            batches, error);
    }
}

}  // namespace

struct FileStore::Pending {
    std::shared_ptr<MachineLog> log;
    PreparedBatch batch;
    bool done = false;
    AppendOutcome outcome;
};

FileStore::FileStore(StoreOptions options)
    : options_(std::move(options)),
      open_files_(std::max<std::size_t>(options_.max_open_files / 2, 1)) {
    FileSystem& fs = *options_.file_system;
    make_dir(fs, options_.datadir);
    make_dir(fs, options_.datadir / ".index");
    make_dir(fs, options_.datadir / ".commit");
    try {
        replay_commit_log(options_.datadir, fs);
    } catch (const std::exception& ex) {
        throw core::UserError("cannot repair the data directory " + options_.datadir.string() +
                              " from its commit log: " + ex.what());
    }
    // Written by the last stop once everything was synced: nothing can be half-committed, so
    // recovery may cut nothing (see MachineLog). Removed before any new write.
    const auto clean_stop_marker = options_.datadir / ".commit" / "clean-stop";
    const bool after_clean_stop = fs.exists(clean_stop_marker);
    std::vector<DirectoryEntry> entries;
    try {
        entries = fs.list(options_.datadir);
    } catch (const std::system_error& ex) {
        throw core::UserError("cannot list data directory " + options_.datadir.string() + ": " +
                              ex.code().message());
    }
    for (const auto& entry : entries) {
        const auto& path = entry.path;
        if (path.extension() != ".json" || !entry.regular_file) continue;
        std::string id = path.stem().string();
        if (!record::valid_identifier(id)) {
            spdlog::warn("store: ignoring {}: not a valid machine identifier", path.string());
            continue;
        }
        machines_.emplace(
            id, std::make_shared<MachineLog>(options_, id, after_clean_stop, &open_files_));
    }
    if (after_clean_stop) {
        try {
            fs.remove(clean_stop_marker);
        } catch (const std::system_error& ex) {
            throw core::UserError("cannot remove " + clean_stop_marker.string() + ": " +
                                  ex.code().message());
        }
        fs.sync_directory(options_.datadir / ".commit");
    }
    try {
        log_ = std::make_unique<CommitLog>(options_.datadir, fs);
    } catch (const std::exception& ex) {
        throw core::UserError(std::string("cannot open the commit log: ") + ex.what());
    }
    try {
        datadir_ = fs.open(options_.datadir, OpenMode::directory);
    } catch (const std::system_error& ex) {
        throw core::UserError("cannot open data directory " + options_.datadir.string() + ": " +
                              ex.code().message());
    }
    if (machines_.size() > options_.max_machines) {
        spdlog::warn(
            "store: {} machines stored, more than the limit of {} (PCD_MAX_MACHINES): all are kept "
            "and served, new identifiers are refused",
            machines_.size(), options_.max_machines);
    }
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
    recoverer_ = std::thread([this] { recover_in_background(); });
}

void FileStore::recover_in_background() {
    std::vector<std::shared_ptr<MachineLog>> logs;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [id, log] : machines_) logs.push_back(log);
    }
    // Each in turn through the cache: at most max_open_files are open at any time. Damage is
    // found and logged soon after the start, and /v1/machines need not wait for it.
    std::size_t failed = 0;
    for (const auto& log : logs) {
        if (recovery_stop_) break;
        try {
            log->recover();
        } catch (const std::exception& ex) {
            ++failed;
            spdlog::error("store: {}: cannot open or recover its collection: {}", log->identifier(),
                          ex.what());
        }
    }
    if (!logs.empty()) {
        spdlog::info("store: checked {} stored machine(s){}", logs.size(),
                     failed ? fmt::format(", {} could not be opened", failed) : std::string());
    }
    std::lock_guard lock(recovery_mutex_);
    recovery_done_ = true;
    recovery_cv_.notify_all();
}

void FileStore::wait_until_recovered() const {
    std::unique_lock lock(recovery_mutex_);
    recovery_cv_.wait(lock, [&] { return recovery_done_; });
}

FileStore::~FileStore() {
    recovery_stop_ = true;
    recoverer_.join();
    {
        std::unique_lock lock(commit_mutex_);
        committed_.wait(lock, [&] { return !committing_; });
        stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    checkpointer_.join();
    // Single-threaded now: the rest of the log is checkpointed in place.
    try {
        if (checkpoint_failed_) throw std::runtime_error("an earlier checkpoint failed");
        datadir_->sync_filesystem();
        log_->empty_file(0);
        log_->empty_file(1);
        options_.file_system->write_file_atomic(options_.datadir / ".commit" / "clean-stop", "",
                                                0640);
    } catch (const std::exception& ex) {
        spdlog::error(
            "store: final checkpoint failed ({}); the commit log is replayed at the "
            "next start",
            ex.what());
    }
}

std::shared_ptr<MachineLog> FileStore::find(std::string_view identifier) const {
    std::shared_lock lock(mutex_);
    auto it = machines_.find(std::string(identifier));
    return it == machines_.end() ? nullptr : it->second;
}

std::shared_ptr<MachineLog> FileStore::machine(std::string_view identifier) {
    if (auto log = find(identifier)) return log;
    std::string id(identifier);
    std::unique_lock lock(mutex_);
    auto it = machines_.find(id);
    if (it == machines_.end()) {
        if (machines_.size() >= options_.max_machines) return nullptr;
        it = machines_.emplace(id, std::make_shared<MachineLog>(options_, id, false, &open_files_))
                 .first;
        spdlog::info("store: new machine {}", id);
    }
    return it->second;
}

AppendOutcome FileStore::append(std::string_view identifier,
                                const std::vector<record::Record>& records,
                                const std::optional<std::string>& batch_id) {
    if (!record::valid_identifier(identifier)) {
        throw std::invalid_argument("invalid machine identifier");
    }
    auto pending = std::make_shared<Pending>();
    try {
        pending->log = machine(identifier);
        if (!pending->log) {
            return {AppendOutcome::Status::too_many_machines,
                    "pcd stores at most " + std::to_string(options_.max_machines) +
                        " machines (PCD_MAX_MACHINES) and " + std::string(identifier) +
                        " would be a new one: raise the limit or delete machines with "
                        "pcctl machines delete",
                    0};
        }
        pending->log->recover();
    } catch (const std::exception& ex) {
        // Creating a new machine's files fails like a write (read-only or full data directory,
        // EACCES): the same outage, answered 503.
        report_storage_failure(1,
                               std::string(identifier) + ": cannot open collection: " + ex.what());
        return {AppendOutcome::Status::failed, std::string("storage failed: ") + ex.what(), 0};
    }
    if (batch_id && pending->log->recently_stored(*batch_id)) {
        return {AppendOutcome::Status::duplicate, {}, 0};
    }
    pending->batch = prepare_batch(records, batch_id);

    std::string flight_key;
    std::unique_lock lock(commit_mutex_);
    if (batch_id) {
        // Checked again under the lock: the batch may have been committed meanwhile.
        if (pending->log->recently_stored(*batch_id)) {
            return {AppendOutcome::Status::duplicate, {}, 0};
        }
        flight_key.append(identifier).append(1, '\n').append(*batch_id);
        if (auto it = in_flight_.find(flight_key); it != in_flight_.end()) {
            // The same batch is being stored by another request (a resend that overtook the
            // original's response): answer as that one is answered.
            auto original = it->second;
            committed_.wait(lock, [&] { return original->done; });
            if (original->outcome.status == AppendOutcome::Status::stored) {
                return {AppendOutcome::Status::duplicate, {}, 0};
            }
            return original->outcome;
        }
        in_flight_.emplace(flight_key, pending);
    }
    queue_.push_back(pending);
    while (!pending->done) {
        if (!committing_) {
            commit_group(lock);
        } else {
            committed_.wait(lock);
        }
    }
    return pending->outcome;
}

namespace {

// One machine's share of a group: its batches in arrival order, written with one pwrite per
// file and logged as one commit log entry.
struct Run {
    MachineLog* log = nullptr;
    MachineLog::Tail start;
    MachineLog::Tail end;
    std::string data;
    std::string index;
    std::vector<const IndexEntry*> entries;
    std::string error;
};

}  // namespace

bool FileStore::make_room(std::unique_lock<std::mutex>& lock) {
    if (log_->active_size() < kSwitchBytes) return true;
    const int standby = 1 - log_->active();
    const auto deadline = std::chrono::steady_clock::now() + kStuckTimeout;
    while (checkpoint_wanted_[standby]) {
        if (log_->active_size() < kHardBytes) return true;  // keep using the active file
        if (checkpoint_failed_) return false;
        if (checkpoint_cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
            checkpoint_wanted_[standby]) {
            return false;
        }
    }
    checkpoint_wanted_[log_->switch_files()] = true;
    checkpoint_cv_.notify_all();
    return true;
}

void FileStore::commit_group(std::unique_lock<std::mutex>& lock) {
    committing_ = true;
    std::vector<std::shared_ptr<Pending>> group;
    for (auto& p : queue_) {
        if (!p->log->retired()) {
            group.push_back(std::move(p));
            continue;
        }
        // Deleted while this batch waited: refused like a storage failure, so the agent sends
        // it again and it starts a new collection.
        p->outcome = {AppendOutcome::Status::failed,
                      "machine " + p->log->identifier() + " was deleted while this batch waited",
                      0};
        if (p->batch.entry.batch_id) {
            in_flight_.erase(p->log->identifier() + '\n' + *p->batch.entry.batch_id);
        }
        p->done = true;
    }
    queue_.clear();
    const bool room = make_room(lock);
    const int active = log_->active();
    lock.unlock();

    // Machines in order of their first batch in the group; each machine's batches in order.
    std::vector<Run> runs;
    std::unordered_map<MachineLog*, std::size_t> run_of;
    const std::int64_t received = now_ms();
    for (auto& p : group) {
        auto [it, added] = run_of.try_emplace(p->log.get(), runs.size());
        if (added) {
            Run run;
            run.log = p->log.get();
            run.start = p->log->tail();
            run.end = run.start;
            runs.push_back(std::move(run));
        }
        Run& run = runs[it->second];
        IndexEntry& e = p->batch.entry;
        e.offset = run.end.data_end;
        run.end.total_records += e.records;
        e.total_records = run.end.total_records;
        e.received_ms = received;
        if (run.data.empty()) {
            run.data.swap(p->batch.data);
        } else {
            run.data += p->batch.data;
        }
        append_index_entry(e, run.index);
        run.end.data_end += e.length;
        run.end.index_end = run.start.index_end + run.index.size();
        run.entries.push_back(&e);
    }

    // The collections first (not synced), then the commit log, synced: only after that is any
    // batch of the group acknowledged. A crash before the log sync leaves a tail that recovery
    // verifies (stored, batch_id known) or cuts off (never acknowledged); after it, the log's
    // entries are written into the collections again at startup.
    // Reused across groups (only the committing thread touches it): a fresh buffer of this size
    // per group would settle in every thread's malloc arena.
    std::string& entries = entries_buffer_;
    entries.clear();
    bool any_ok = false;
    for (auto& run : runs) {
        if (!room) {
            run.error = "commit log checkpoints are failing";
            continue;
        }
        try {
            run.log->write(run.data, run.index, run.start);
            append_commit_entry(entries, log_->next_seq(),
                                CommitEntry{run.log->identifier(), run.start.data_end,
                                            run.start.index_end, run.data, run.index});
            any_ok = true;
        } catch (const std::exception& ex) {
            run.error = ex.what();
            run.log->roll_back(run.start);
        }
    }
    if (any_ok) {
        try {
            log_->write_and_sync(entries);
        } catch (const std::exception& ex) {
            for (auto& run : runs) {
                if (!run.error.empty()) continue;
                run.error = ex.what();
                run.log->roll_back(run.start);
            }
        }
    }
    if (entries.capacity() > (4u << 20)) std::string().swap(entries);  // after a huge group
    std::size_t failed = 0;
    const std::string* first_error = nullptr;
    for (const auto& run : runs) {
        if (run.error.empty()) continue;
        failed += run.entries.size();
        if (!first_error) first_error = &run.error;
    }
    if (first_error) {
        report_storage_failure(failed, *first_error);
    } else if (auto refused = storage_episode().succeeded()) {
        spdlog::info("store: storage recovered after {} failed write(s)", *refused);
    }

    lock.lock();
    for (auto& run : runs) {
        if (run.error.empty()) {
            run.log->committed(run.end, run.entries, received);
            dirty_[active].insert(run.log);
        }
    }
    for (auto& p : group) {
        const Run& run = runs[run_of[p->log.get()]];
        if (run.error.empty()) {
            p->outcome = {AppendOutcome::Status::stored, {}, p->batch.entry.length};
        } else {
            p->outcome = {AppendOutcome::Status::failed, "storage failed: " + run.error, 0};
        }
        if (p->batch.entry.batch_id) {
            in_flight_.erase(p->log->identifier() + '\n' + *p->batch.entry.batch_id);
        }
        p->done = true;
    }
    committing_ = false;
    committed_.notify_all();
}

void FileStore::checkpoint_loop() {
    std::unique_lock lock(commit_mutex_);
    for (;;) {
        checkpoint_cv_.wait(
            lock, [&] { return stopping_ || checkpoint_wanted_[0] || checkpoint_wanted_[1]; });
        if (!checkpoint_wanted_[0] && !checkpoint_wanted_[1]) return;  // stopping
        for (int which = 0; which < 2; ++which) {
            if (checkpoint_wanted_[which] && !checkpoint_failed_) checkpoint(which, lock);
        }
        if (checkpoint_failed_) {
            checkpoint_cv_.wait(lock, [&] { return stopping_; });
            return;
        }
        if (stopping_) return;  // the destructor finishes what is left
    }
}

void FileStore::checkpoint(int which, std::unique_lock<std::mutex>& lock) {
    std::unordered_set<MachineLog*> dirty;
    dirty.swap(dirty_[which]);
    lock.unlock();
    std::string error;
    try {
        // Few machines: an fdatasync per file. Many: one syncfs of the data directory's
        // filesystem (one journal commit for all; serial fdatasyncs of thousands of files take
        // seconds), at the price of also writing back other dirty files of that filesystem,
        // which can delay the commit log's own sync. syncfs reports write-back errors of the
        // filesystem since datadir_ was opened.
        if (dirty.size() > kSyncfsMachines) {
            datadir_->sync_filesystem();
        } else {
            for (auto* log : dirty) log->sync();
        }
        log_->empty_file(which);
    } catch (const std::exception& ex) {
        error = ex.what();
    }
    lock.lock();
    if (!error.empty()) {
        // The file keeps its entries, replayed at the next start. Not retried: a second sync
        // would not report the lost write-back again, so the log is never emptied after a
        // failure; commits stop (503) once the active file reaches its hard limit.
        spdlog::error(
            "store: checkpoint failed: {}; the commit log is kept and replayed at the "
            "next start (restart pcd once storage is healthy)",
            error);
        checkpoint_failed_ = true;
        return;
    }
    checkpoint_wanted_[which] = false;
    checkpoint_cv_.notify_all();
}

std::vector<MachineSummary> FileStore::machines() const {
    std::vector<std::shared_ptr<MachineLog>> logs;
    {
        std::shared_lock lock(mutex_);
        logs.reserve(machines_.size());
        for (const auto& [id, log] : machines_) logs.push_back(log);
    }
    std::vector<MachineSummary> out;
    out.reserve(logs.size());
    for (const auto& log : logs) {
        try {
            log->recover();  // outside mutex_: it may read files for a while
        } catch (const std::exception& ex) {
            spdlog::error("store: {}: cannot open or recover its collection: {}", log->identifier(),
                          ex.what());
        }
        out.push_back(log->summary());
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.identifier < b.identifier; });
    return out;
}

std::optional<CollectionSnapshot> FileStore::snapshot(std::string_view identifier) const {
    auto log = find(identifier);
    if (!log) return std::nullopt;
    log->recover();  // throws std::system_error when its files cannot be opened
    return CollectionSnapshot{log->data_path(), log->durable_size()};
}

std::unique_ptr<CollectionStream> FileStore::read(std::string_view identifier,
                                                  TimeRange range) const {
    auto snap = snapshot(identifier);
    if (!snap) return nullptr;
    return std::make_unique<CollectionFilter>(*options_.file_system, *snap, range);
}

std::string FileStore::describe() const {
    return "files in " + options_.datadir.string();
}

std::size_t FileStore::machine_count() const {
    std::shared_lock lock(mutex_);
    return machines_.size();
}

// Stops commits of every machine and checkpoints the commit log, so that no log entry names
// an offset in a file that is about to be rewritten or removed; commits resume when destroyed.
class FileStore::CommitPause {
public:
    explicit CommitPause(FileStore& store) : store_(store) {
        std::unique_lock lock(store_.commit_mutex_);
        store_.committed_.wait(lock, [&] { return !store_.committing_; });
        store_.committing_ = true;  // appends queue until we are done
        // The checkpointer runs only for a switch made by a commit; wait until it is idle.
        store_.checkpoint_cv_.wait(lock, [&] {
            return store_.checkpoint_failed_ ||
                   (!store_.checkpoint_wanted_[0] && !store_.checkpoint_wanted_[1]);
        });
        if (store_.checkpoint_failed_) {
            resume(lock);
            throw std::runtime_error(
                "storage is failing (a checkpoint failed); restart pcd once "
                "it is healthy");
        }
        std::unordered_set<MachineLog*> dirty;
        for (auto& set : store_.dirty_) {
            dirty.merge(set);
            set.clear();
        }
        lock.unlock();
        try {
            for (auto* log : dirty) log->sync();
            store_.log_->empty_file(0);
            store_.log_->empty_file(1);
        } catch (...) {
            lock.lock();
            store_.checkpoint_failed_ = true;  // as a failed checkpoint: the log is kept
            resume(lock);
            throw;
        }
    }
    ~CommitPause() {
        std::unique_lock lock(store_.commit_mutex_);
        resume(lock);
    }
    CommitPause(const CommitPause&) = delete;
    CommitPause& operator=(const CommitPause&) = delete;

private:
    void resume(std::unique_lock<std::mutex>&) {
        store_.committing_ = false;
        store_.committed_.notify_all();
    }
    FileStore& store_;
};

std::optional<TrimResult> FileStore::trim(std::string_view identifier, std::int64_t before) {
    std::lock_guard one_at_a_time(trim_mutex_);
    auto log = find(identifier);
    if (!log) return std::nullopt;
    log->recover();
    auto plan = log->trim_stage(before);
    if (!plan) return TrimResult{};
    TrimResult result;
    {
        CommitPause pause(*this);
        result = log->trim_finish(*plan);
    }
    spdlog::info("store: {}: removed {} records ({} bytes) older than {}", log->identifier(),
                 result.records, result.bytes, before);
    return result;
}

std::optional<MachineSummary> FileStore::remove(std::string_view identifier) {
    std::lock_guard one_at_a_time(trim_mutex_);
    auto log = find(identifier);
    if (!log) return std::nullopt;
    try {
        log->recover();  // for the summary it returns
    } catch (const std::exception& ex) {
        // A machine whose files cannot be opened can still be deleted.
        spdlog::warn("store: {}: deleting it without its summary: {}", log->identifier(),
                     ex.what());
    }
    CommitPause pause(*this);
    {
        // Held until the files are gone: an append that arrives meanwhile must not open them
        // again; it waits and then starts a new collection.
        std::unique_lock lock(mutex_);
        machines_.erase(std::string(identifier));
        log->retire();
        log->remove_files();
    }
    spdlog::info("store: {}: deleted its collection", log->identifier());
    return log->summary();
}

}  // namespace pc::store
