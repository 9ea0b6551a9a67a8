// One machine's stored collection: <datadir>/<id>.json plus its sidecar index
// <datadir>/.index/<id>.idx. Appends are ordered and durable (fdatasync) before append()
// returns; concurrent appends are group-committed: one thread writes and syncs everything that
// queued up while the previous sync ran.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pc/api/machines.hpp"
#include "pc/record/record.hpp"
#include "pc/store/recent_batches.hpp"

namespace pc::store {

struct StoreOptions {
    std::filesystem::path datadir;
    // How many recent batch_ids per machine are remembered for duplicate suppression.
    std::size_t dedup_window = 1024;
};

struct AppendOutcome {
    enum class Status { stored, duplicate, failed };
    Status status = Status::failed;
    std::string error;        // when failed: one line, safe to return to the client
    std::uint64_t bytes = 0;  // bytes appended when stored
};

// Where a machine's files live.
std::filesystem::path collection_path(const std::filesystem::path& datadir, std::string_view id);
std::filesystem::path index_path(const std::filesystem::path& datadir, std::string_view id);

class MachineLog {
public:
    // Opens the machine's files, creating them when missing, and recovers from a crash: a tail
    // that is not covered by a verified index entry (torn or never acknowledged) is cut off and
    // logged. A collection without an index (copied in by hand) is adopted as one batch.
    // Throws std::system_error when the files cannot be opened or repaired.
    MachineLog(const StoreOptions& options, std::string identifier);
    ~MachineLog();
    MachineLog(const MachineLog&) = delete;
    MachineLog& operator=(const MachineLog&) = delete;

    // Appends `records` as one batch and returns once it is durable. A batch whose batch_id was
    // stored recently (or is being stored right now) is not stored again: status duplicate.
    AppendOutcome append(const std::vector<Record>& records,
                         const std::optional<std::string>& batch_id);

    api::MachineSummary summary() const;
    // Bytes of the collection file that are durable and acknowledged.
    std::uint64_t durable_size() const;
    const std::string& identifier() const { return identifier_; }
    const std::filesystem::path& data_path() const { return data_path_; }

private:
    struct Pending;

    void open_and_recover();
    void adopt_unindexed_collection();
    void commit_group(std::unique_lock<std::mutex>& lock);

    std::size_t dedup_window_;
    std::string identifier_;
    std::filesystem::path data_path_;
    std::filesystem::path index_path_;
    int data_fd_ = -1;
    int index_fd_ = -1;

    mutable std::mutex mutex_;
    std::condition_variable committed_;
    bool committing_ = false;
    std::vector<std::shared_ptr<Pending>> queue_;
    std::unordered_map<std::string, std::shared_ptr<Pending>> in_flight_;  // by batch_id
    RecentBatches recent_;
    std::uint64_t data_end_ = 0;
    std::uint64_t index_end_ = 0;
    std::uint64_t total_records_ = 0;
    std::int64_t first_timestamp_ = 0;
    std::int64_t last_timestamp_ = 0;
    std::int64_t last_seen_ms_ = 0;
};

}  // namespace pc::store
