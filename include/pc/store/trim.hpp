// Removing old data from a stored collection while pcd runs (retention, pcctl machines trim).
// The kept batches are copied to <id>.json.trim and the rewritten index is written atomically to
// .index/<id>.idx.trim: its existence is the commit point. Then the data file and the index are
// renamed into place, in that order, each rename synced. A crash before the commit point leaves
// the old files (the temp file is discarded at the next start); after it, the next start
// finishes the renames (finish_interrupted_trim).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "pc/store/file_system.hpp"
#include "pc/store/trim_result.hpp"

namespace pc::store {

// The temp files of a trim in progress.
std::filesystem::path trim_data_path(const std::filesystem::path& data_path);
std::filesystem::path trim_index_path(const std::filesystem::path& index_path);

// At open: completes a trim that reached its commit point, or discards one that did not.
// Throws std::system_error when the renames fail.
void finish_interrupted_trim(FileSystem& fs, const std::filesystem::path& data_path,
                             const std::filesystem::path& index_path, std::string_view id);

// What the first, unlocked, phase of a trim did: which batches go and the temp file holding the
// kept bytes copied so far. Removes the temp file when dropped before the trim is finished.
class TrimPlan {
public:
    TrimPlan(FileSystem& fs, std::unique_ptr<File> file) : fs_(fs), file_(std::move(file)) {}
    ~TrimPlan();
    TrimPlan(const TrimPlan&) = delete;
    TrimPlan& operator=(const TrimPlan&) = delete;

    File& file() { return *file_; }
    const std::filesystem::path& temp() const { return file_->path(); }
    void finished() { finished_ = true; }

    std::uint64_t cut = 0;         // data bytes removed (the kept part starts here)
    std::uint64_t index_cut = 0;   // index bytes of the removed batches
    std::uint64_t copied_end = 0;  // data bytes copied to the temp file so far: [cut, this)
    std::uint64_t batches = 0;     // removed batches
    std::uint64_t records = 0;     // removed records

private:
    FileSystem& fs_;
    std::unique_ptr<File> file_;
    bool finished_ = false;
};

}  // namespace pc::store
