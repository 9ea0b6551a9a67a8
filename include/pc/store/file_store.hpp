// The file store, pcd's default: a data directory with one MachineLog per identifier, created
// on first use. Appends of all
// machines are group-committed: while one thread writes and syncs a group, further requests
// queue; the next group takes the whole queue and one fdatasync of the commit log makes it
// durable (see commit_log.hpp). Each machine's batches land in arrival order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pc/store/collection_filter.hpp"
#include "pc/store/commit_log.hpp"
#include "pc/store/file_system.hpp"
#include "pc/store/machine_log.hpp"
#include "pc/store/machine_summary.hpp"
#include "pc/store/open_file_cache.hpp"
#include "pc/store/store.hpp"
#include "pc/store/trim.hpp"

namespace pc::store {

class FileStore final : public Store {
public:
    // Creates the data directory when missing, repairs the collections from the commit log
    // after a crash and lists the collections in it, opening none: each machine's files are
    // opened and recovered on its first use, or by a background pass started here, and kept
    // open within options.max_open_files (OpenFileCache).
    explicit FileStore(StoreOptions options);
    // Syncs every collection and empties the commit log, so a clean stop leaves no log.
    ~FileStore() override;
    FileStore(const FileStore&) = delete;
    FileStore& operator=(const FileStore&) = delete;

    // Stores one batch for `identifier` (which must satisfy record::valid_identifier; throws
    // std::invalid_argument otherwise) and returns once it is durable. A new identifier while
    // the store holds options.max_machines is refused (too_many_machines).
    AppendOutcome append(std::string_view identifier, const std::vector<record::Record>& records,
                         const std::optional<std::string>& batch_id) override;

    // Sorted by identifier; recovers the machines not recovered yet (one failing to is listed
    // with what is known, its identifier, and the error logged).
    std::vector<MachineSummary> machines() const override;

    // Removes the leading batches of `identifier`'s collection whose records are all older
    // than `before` (Unix seconds), while appends go on: the kept part is copied aside, then
    // commits pause (all machines) while the commit log is checkpointed, the rest is copied
    // and the files are swapped (see trim.hpp for crash safety). nullopt for an unknown
    // machine. Throws std::system_error (storage) or std::runtime_error (a damaged index).
    std::optional<TrimResult> trim(std::string_view identifier, std::int64_t before) override;
    // Deletes a machine's collection and index, with commits paused; a batch for it still in
    // flight is refused (503, so the agent sends it again, into a new collection). The summary
    // it had, or nullopt for an unknown machine.
    std::optional<MachineSummary> remove(std::string_view identifier) override;
    // The acknowledged part of the collection file, read through a CollectionFilter.
    std::unique_ptr<CollectionStream> read(std::string_view identifier,
                                           TimeRange range) const override;
    std::optional<CollectionSnapshot> snapshot(std::string_view identifier) const;
    std::size_t machine_count() const override;
    std::string describe() const override;
    // Machines whose files are open now, and how many times the cache closed some.
    std::size_t open_machine_count() const { return open_files_.open_count(); }
    std::size_t file_cache_evictions() const { return open_files_.evictions(); }
    // Waits until the background recovery pass has been through every machine (tests, tools).
    void wait_until_recovered() const;
    const std::filesystem::path& datadir() const { return options_.datadir; }

private:
    struct Pending;
    class CommitPause;

    std::shared_ptr<MachineLog> machine(std::string_view identifier);
    std::shared_ptr<MachineLog> find(std::string_view identifier) const;
    void commit_group(std::unique_lock<std::mutex>& lock);
    // Before a group: switches commit log files when the active one is large and the other
    // one is checkpointed. Returns false when storage is stuck (checkpoints keep failing).
    bool make_room(std::unique_lock<std::mutex>& lock);
    void checkpoint_loop();
    // Syncs what was written while file `which` was active (syncfs), then empties it.
    void checkpoint(int which, std::unique_lock<std::mutex>& lock);

    void recover_in_background();

    StoreOptions options_;
    // Before machines_: a MachineLog forgets itself in the cache when destroyed.
    mutable OpenFileCache open_files_;
    mutable std::shared_mutex mutex_;  // machines_
    std::unordered_map<std::string, std::shared_ptr<MachineLog>> machines_;
    std::mutex trim_mutex_;  // one trim or removal at a time

    // Group commit; everything below is guarded by commit_mutex_.
    std::mutex commit_mutex_;
    std::condition_variable committed_;
    bool committing_ = false;
    std::vector<std::shared_ptr<Pending>> queue_;
    // Batches being committed, by identifier + '\n' + batch_id: a resend waits for them.
    std::unordered_map<std::string, std::shared_ptr<Pending>> in_flight_;
    std::unique_ptr<CommitLog> log_;
    std::string entries_buffer_;  // the commit log entries of the group being committed
    std::unordered_set<MachineLog*> dirty_[2];  // written while commit log file i was active
    bool checkpoint_wanted_[2] = {false, false};
    bool stopping_ = false;
    bool checkpoint_failed_ = false;  // sticky: the log is kept for the next start
    std::unique_ptr<File> datadir_;   // for syncfs (write-back errors since it was opened)
    std::condition_variable checkpoint_cv_;
    std::thread checkpointer_;

    // The background recovery pass (after the constructor has listed the machines).
    mutable std::mutex recovery_mutex_;
    mutable std::condition_variable recovery_cv_;
    bool recovery_done_ = false;
    std::atomic<bool> recovery_stop_ = false;
    std::thread recoverer_;
};

}  // namespace pc::store
