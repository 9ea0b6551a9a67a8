// pcc's durable, size-capped FIFO of ticks not yet acknowledged by the server.
//
// Layout of the spool directory:
//   lock                     flock'ed while a Spool is open (one agent per spool)
//   agent-id                 16 hex digits, random, prefix of every batch_id
//   <seq:20 digits>.tick     one tick: "PCSPOOL1 <payload bytes> <crc32 hex>\n" + JSONL payload
//   <first seq>.batch        a sealed batch: "<last seq>\n"; its ticks keep this batch_id
//                            (<agent-id>-<first>-<last>) until acknowledged, even across restarts
//   rejected/                batches the server refused for good: <ms>-<batch_id>.jsonl + .error
// Every file is written to a temp name, fsynced, renamed and the directory fsynced.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/io/file_system.hpp"
#include "pc/record/record.hpp"

namespace pc::spool {

struct SpoolOptions {
    std::filesystem::path dir;
    std::size_t max_bytes = 256u << 20;  // ticks beyond this drop the oldest first
    // Every file call but the directory's lock goes through it; null: the real file system.
    // Tests put tests/support/fault_file_system.hpp's in its place.
    std::shared_ptr<io::FileSystem> file_system;
};

struct SpoolBatch {
    std::string batch_id;  // "<agent-id>-<first>-<last>", stable until acknowledged
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;
    std::size_t ticks = 0;
    // Every record of its ticks, in order, as collection lines (each ends in '\n'), exactly as
    // spooled: never decoded, since each line already is one element of the request's
    // "measurements" array.
    std::string jsonl;

    // The trickle request body (api::encode_trickle_request's wire format, with this batch_id)
    // built by joining the lines.
    std::string request_body(std::string_view identifier) const;
};

struct SpoolRecovery {
    std::size_t ticks = 0;       // ticks left by an earlier run (delivered first)
    std::size_t discarded = 0;   // torn or corrupt entries removed with a warning
    std::size_t unreadable = 0;  // entries an I/O error kept from reading: left for the next start
};

// Thread-safe: one thread appends (the sampler) while another sends.
class Spool {
public:
    // Creates the directory (0700) when missing, takes its lock, removes leftovers of
    // interrupted writes and discards torn entries. Throws UserError when the directory cannot
    // be created or written, or another process holds it.
    explicit Spool(SpoolOptions options);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    // Stores one tick durably (file and directory fsynced) before returning; then drops the
    // oldest ticks (a sealed batch as a whole) while the spool is over its cap, keeping at least
    // the newest tick. Returns the tick's sequence number. Throws std::system_error/UserError
    // when the disk refuses the write.
    std::uint64_t append(const record::Tick& tick);

    // The batch to send next: the oldest sealed batch, or else a new batch of up to
    // `max_ticks` oldest ticks, sealed durably now. Empty when the spool is empty.
    std::optional<SpoolBatch> next_batch(std::size_t max_ticks);

    // The server stored the batch: its ticks and seal are removed (ticks the cap already
    // dropped are ignored).
    void acknowledge(const SpoolBatch& batch);

    // The server refused the batch without storing anything (too large): the seal is removed so
    // the next call to next_batch can form a smaller batch with a new batch_id.
    void unseal(const SpoolBatch& batch);

    // The server will never accept the batch: its records go to rejected/<ms>-<batch_id>.jsonl
    // with the reason beside them, and it leaves the queue. rejected/ is capped at max_bytes too
    // (oldest files removed). Returns the path of the .jsonl file.
    std::filesystem::path quarantine(const SpoolBatch& batch, std::string_view reason);

    std::size_t tick_count() const;
    std::size_t byte_size() const;
    std::uint64_t dropped_ticks() const;  // dropped by the cap since open
    const SpoolRecovery& recovery() const { return recovery_; }
    const std::string& agent_id() const { return agent_id_; }
    const std::filesystem::path& dir() const { return options_.dir; }

private:
    void recover();
    void remove_ticks_locked(std::uint64_t first, std::uint64_t last);
    void enforce_cap_locked();
    std::string batch_id(std::uint64_t first, std::uint64_t last) const;
    std::filesystem::path tick_path(std::uint64_t seq) const;
    std::filesystem::path seal_path(std::uint64_t first) const;

    SpoolOptions options_;
    std::shared_ptr<io::FileSystem> files_;
    int lock_fd_ = -1;
    std::string agent_id_;
    SpoolRecovery recovery_;

    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::size_t> ticks_;    // seq -> file size, oldest first
    std::map<std::uint64_t, std::uint64_t> seals_;  // first seq -> last seq
    std::uint64_t next_seq_ = 1;
    std::size_t bytes_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t dropped_logged_ = 0;
    std::chrono::steady_clock::time_point last_drop_log_{};
};

// The file format of one spooled tick: one frame of the shared format (io/frame.hpp) holding
// the tick's collection lines.
std::string encode_spool_entry(std::string_view payload);
// The payload, or nullopt when the entry is torn or corrupt (`why` says which and how). Also
// reads the entries of pcc versions before the shared format ("PCSPOOL1 <bytes> <crc>\n").
std::optional<std::string> decode_spool_entry(std::string_view file, std::string* why = nullptr);

}  // namespace pc::spool
