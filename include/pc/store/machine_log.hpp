// One machine's stored collection: <datadir>/<id>.json plus its sidecar index
// <datadir>/.index/<id>.idx: crash recovery at first use, writes at the end, the in-memory summary
// and duplicate window. Store groups the appends of all machines into commits.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/record/record.hpp"
#include "pc/store/append_outcome.hpp"
#include "pc/store/batch_index.hpp"
#include "pc/store/file_system.hpp"
#include "pc/store/machine_summary.hpp"
#include "pc/store/open_file_cache.hpp"
#include "pc/store/recent_batches.hpp"
#include "pc/store/trim.hpp"

namespace pc::store {

struct StoreOptions {
    std::filesystem::path datadir;
    // How many recent batch_ids per machine are remembered for duplicate suppression.
    std::size_t dedup_window = 1024;
    // Files the store keeps open at most (two per machine; see OpenFileCache).
    std::size_t max_open_files = 1024;
    // Machines the store accepts; a new identifier beyond it is refused (existing ones stay).
    std::size_t max_machines = 10000;
    // Every file-system call of the store goes through it (tests inject faults).
    std::shared_ptr<FileSystem> file_system = default_file_system();
};

// Where a machine's files live.
std::filesystem::path collection_path(const std::filesystem::path& datadir, std::string_view id);
std::filesystem::path index_path(const std::filesystem::path& datadir, std::string_view id);

// What Store's group commit needs to know of one batch before writing it.
struct PreparedBatch {
    std::string data;  // the encoded collection lines
    IndexEntry entry;  // offset, total_records and received_ms are set at commit
};

// Encodes `records` as collection lines (outside any lock: the costly part of an append).
PreparedBatch prepare_batch(const std::vector<record::Record>& records,
                            const std::optional<std::string>& batch_id);

class MachineLog final : public OpenFileCache::Member {
public:
    // Opens nothing: the files are opened and recovered by the first recover() (every other
    // call below needs it first), then kept open while `cache` (nullptr: no bound) allows.
    MachineLog(const StoreOptions& options, std::string identifier, bool after_clean_stop = false,
               OpenFileCache* cache = nullptr);
    ~MachineLog();
    MachineLog(const MachineLog&) = delete;
    MachineLog& operator=(const MachineLog&) = delete;

    // Opens the machine's files, creating them when missing, and recovers, once (later calls
    // return at once; concurrent ones wait for the first). The collection file is the truth:
    // after a crash (`after_clean_stop` false), a tail not covered by the verified
    // index (the group being committed, never acknowledged; at most 64 MiB) is moved to
    // <datadir>/.damaged/; an index that disagrees with the collection in any other way (an entry
    // that does not match, unreadable lines, or any uncovered tail after a clean stop) is moved
    // there too and rebuilt from the collection, which keeps every byte but a torn last line
    // (also moved aside). A collection without an index (copied in by hand) is adopted as one
    // batch. Every repair is logged. Throws std::system_error when the files cannot be opened
    // or repaired (the next call tries again).
    void recover();
    bool recovered() const { return recovered_.load(std::memory_order_acquire); }

    // The calls below read what recover() found: call it first (before, they give zeros).
    MachineSummary summary() const;
    // Bytes of the collection file that are durable and acknowledged.
    std::uint64_t durable_size() const;
    const std::string& identifier() const { return identifier_; }
    const std::filesystem::path& data_path() const { return data_path_; }

    // Group commit (Store): the calls below are made by the one committing thread, or under
    // Store's commit lock; the state they read is updated only through committed().
    struct Tail {
        std::uint64_t data_end = 0;
        std::uint64_t index_end = 0;
        std::uint64_t total_records = 0;
    };
    Tail tail() const;
    // Writes a run of batches at the ends of both files (no sync). Throws std::system_error.
    void write(std::string_view data, std::string_view index, const Tail& at);
    // Cuts both files back to `at` after a failed write (best effort, logged). When that fails
    // too, the next write() cuts what lies beyond its own end, and so does the destructor.
    void roll_back(const Tail& at);
    // fdatasync of both files (checkpoints), opening them again when the cache closed them
    // (fdatasync writes back the file's dirty pages whichever descriptor wrote them). Throws
    // std::system_error.
    void sync();
    // Records a durable group: the new tail and its batches' timestamps and batch_ids.
    void committed(const Tail& end, const std::vector<const IndexEntry*>& entries,
                   std::int64_t received_ms);
    // Whether `batch_id` was stored recently (within the dedup window).
    bool recently_stored(const std::string& batch_id) const;

    // Trimming (Store::trim, one at a time per machine). Phase one, while commits go on: finds
    // the leading batches whose records are all older than `before` and copies the acknowledged
    // bytes after them to the temp file. nullptr when no batch is that old.
    std::unique_ptr<TrimPlan> trim_stage(std::int64_t before);
    // Phase two, with commits stopped and the commit log emptied (it must name no offsets in
    // the old files): copies what was appended since, writes the new index (the commit point),
    // renames both files into place and reopens them. Throws std::system_error; the old files
    // stay in use when it fails before the commit point.
    TrimResult trim_finish(TrimPlan& plan);

    // Deletion (Store::remove, commits stopped): the machine is marked retired, so a batch
    // still queued for it is refused, then its files are removed (collection first, so a crash
    // in between leaves an index without a collection, which the next write discards).
    void retire() { retired_ = true; }
    bool retired() const { return retired_; }
    void remove_files();

private:
    // While one exists the machine's descriptors are open and stay open (the cache passes over
    // machines in use); the first opens them again when the cache had closed them.
    class FilesInUse {
    public:
        explicit FilesInUse(MachineLog& log);
        ~FilesInUse();
        FilesInUse(const FilesInUse&) = delete;
        FilesInUse& operator=(const FilesInUse&) = delete;

    private:
        MachineLog& log_;
    };

    bool close_if_idle() override;
    void close_files();  // with files_mutex_ held
    void open_and_recover();
    // Checks the index against the collection and repairs; `rebuilt` after rebuild_index().
    void recover_tail(bool rebuilt);
    // Moves the index aside and writes a new one from the collection.
    void rebuild_index(const std::string& disagreement);
    // An index of a pcd before the frame format is rewritten in it (atomically) before its
    // first use; one that cannot be read whole is rebuilt from the collection.
    void convert_legacy_index();
    void adopt_unindexed_collection();

    bool after_clean_stop_;
    std::atomic<bool> retired_ = false;
    std::size_t dedup_window_;
    std::shared_ptr<FileSystem> fs_;
    std::string identifier_;
    std::filesystem::path data_path_;
    std::filesystem::path index_path_;
    OpenFileCache* cache_;
    std::atomic<bool> recovered_ = false;
    std::mutex recover_mutex_;  // one recovery at a time
    // data_file_ and index_file_ change only under files_mutex_ and while no FilesInUse exists
    // (recovery and trim_finish, which Store runs alone, count as one).
    std::mutex files_mutex_;
    int files_in_use_ = 0;
    // A failed roll_back left bytes past the acknowledged end (the committing thread only).
    bool tail_dirty_ = false;
    std::unique_ptr<File> data_file_;
    std::unique_ptr<File> index_file_;

    mutable std::mutex mutex_;  // the fields below: summary() reads them from other threads
    RecentBatches recent_;
    std::uint64_t data_end_ = 0;
    std::uint64_t index_end_ = 0;
    std::uint64_t total_records_ = 0;
    std::int64_t first_timestamp_ = 0;
    std::int64_t last_timestamp_ = 0;
    std::int64_t last_seen_ms_ = 0;
};

}  // namespace pc::store
