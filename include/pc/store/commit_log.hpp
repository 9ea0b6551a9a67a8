// The store's write-ahead commit log: what lets one fdatasync acknowledge a group of batches
// for many machines at once. A group's batches are written to their collection and index files
// (not synced), then appended to the commit log as self-checking entries and the log alone is
// synced: from then on the group is durable, because a crash is repaired at startup by writing
// the log's entries into the collections again. The collections are synced in the background
// (a checkpoint), after which the log is emptied.
//
// Two files, $PCD_DATADIR/.commit/commit-0.log and commit-1.log, take turns: new groups go to
// the active one while the other is checkpointed, so a checkpoint never stops the commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pc/io/frame.hpp"
#include "pc/store/file_system.hpp"

namespace pc::store {

// One batch as the commit log holds it: enough to write it into its files again.
struct CommitEntry {
    std::string_view identifier;
    std::uint64_t data_offset = 0;
    std::uint64_t index_offset = 0;
    std::string_view data;   // the collection lines
    std::string_view index;  // its index line, '\n' included
};

// An entry is one frame of the shared log format (io/frame.hpp) whose payload is, little-endian:
// u64 seq, u64 data_offset, u64 index_offset, u32 id_len, u32 data_len, u32 index_len, then
// the identifier, data and index bytes. A file is a run of entries with increasing seq from
// offset 0 (with gaps where a failed write was cut back); replay stops at the first entry that
// does not check out (torn, corrupt, or stale: not newer than the one before).
void append_commit_entry(std::string& out, std::uint64_t seq, const CommitEntry& entry);

// What reading a log file found.
struct CommitLogScan {
    std::size_t entries = 0;      // valid entries handed to the caller
    std::size_t valid_bytes = 0;  // length of the run of valid entries
    // torn_tail: what an interrupted write leaves, safe to drop; corrupt or stopped (a stale
    // or malformed entry): bytes that cannot be replayed.
    io::FrameEnd end = io::FrameEnd::clean;
    std::string problem;  // what is wrong at valid_bytes, for the log
    bool legacy = false;  // written by a pcd before the shared frame format
};

// Calls `apply` for each valid entry of a log file's contents, in order. Also reads the files
// of pcd versions before the shared frame format (entries starting "PCWL"), whose ends cannot
// tell a torn tail from damage (reported as corrupt).
CommitLogScan for_each_commit_entry(
    std::string_view file, const std::function<void(std::uint64_t seq, const CommitEntry&)>& apply);

// Startup repair: writes every entry of both log files (older file first) into its collection
// and index files, syncs them and empties the log. Bytes after a file's valid entries (a write
// torn by a crash, or damage) cannot be replayed: a torn tail (never acknowledged) is dropped
// with a line in the log; anything else makes a copy of the whole file in <datadir>/.damaged/
// first, named by a warning. Returns the number of entries replayed.
// Throws std::system_error when the files cannot be written.
std::size_t replay_commit_log(const std::filesystem::path& datadir, FileSystem& fs);
std::size_t replay_commit_log(const std::filesystem::path& datadir);  // POSIX

class CommitLog {
public:
    // Opens (creating) both files in <datadir>/.commit; they must be empty (replay first).
    CommitLog(const std::filesystem::path& datadir, FileSystem& fs);
    ~CommitLog();
    CommitLog(const CommitLog&) = delete;
    CommitLog& operator=(const CommitLog&) = delete;

    // The seq for the next entry; each call consumes one (never reused, so a stale entry
    // left after a failed write cannot pass for the next one).
    std::uint64_t next_seq() { return seq_++; }
    // Appends encoded entries to the active file and syncs it. On failure the file is cut
    // back (best effort) and std::system_error is thrown.
    void write_and_sync(std::string_view entries);
    std::uint64_t active_size() const { return size_[active_]; }
    int active() const { return active_; }
    // Makes the other file active (it must have been emptied) and returns the previous one.
    int switch_files();
    // Truncates file `which` to empty and syncs it (after its batches were checkpointed).
    void empty_file(int which);

private:
    std::filesystem::path paths_[2];
    std::unique_ptr<File> files_[2];
    std::uint64_t size_[2] = {0, 0};
    int active_ = 0;
    std::uint64_t seq_ = 1;
};

// Where the log files live.
std::filesystem::path commit_log_path(const std::filesystem::path& datadir, int which);

}  // namespace pc::store
