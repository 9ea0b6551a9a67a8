// pcctl replay: trickle a local collection into pcd in batches, resumable and never storing a
// tick twice.
//
// Progress lives in a state file written atomically before and after every request: the ticks
// pcd acknowledged and the batch in flight. A run resumes after the last acknowledged tick and
// resends an interrupted in-flight batch exactly as before. Every batch carries a deterministic
// batch_id (collection key + first tick + tick count), so pcd stores a resent batch only once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "pc/client/backoff.hpp"
#include "pc/client/http_client.hpp"
#include "pc/ctl/command.hpp"
#include "pc/record/record.hpp"

namespace pc::ctl {

struct ReplayState {
    struct Batch {
        std::uint64_t first_tick = 0;  // 0-based index of the batch's first tick
        std::uint64_t ticks = 0;
        bool operator==(const Batch&) const = default;
    };
    std::string collection_key;  // identifies the collection (hash of its first record)
    std::string identifier;
    std::string server;
    std::uint64_t acked_ticks = 0;  // ticks [0, acked_ticks) are stored by pcd
    std::uint64_t acked_records = 0;
    std::optional<Batch> inflight;  // sent (perhaps stored) but not acknowledged

    bool operator==(const ReplayState&) const = default;
};

std::string encode_replay_state(const ReplayState& state);
// nullopt when the file does not exist; UserError when it cannot be read or parsed.
std::optional<ReplayState> load_replay_state(const std::filesystem::path& path);
// Atomic replace (temp file, fsync, rename).
void save_replay_state(const std::filesystem::path& path, const ReplayState& state);

// "replay-<key>-<first tick>-<ticks>".
std::string replay_batch_id(const std::string& collection_key, const ReplayState::Batch& batch);
// A short hash of the collection's first record line.
std::string collection_key_of(const record::Record& first_record);

struct ReplayOptions {
    std::string collection;  // path, "-" for stdin
    std::string identifier;
    std::string apikey;
    std::filesystem::path state_file;
    std::size_t batch_ticks = 10;
    std::size_t batch_bytes = 4u << 20;  // a batch closes once its records reach this size
    std::chrono::milliseconds pause{0};  // between requests
    int retries = 5;                     // consecutive failed attempts before giving up
    bool gzip = true;
    bool skip_malformed = false;
    client::BackoffPolicy backoff{std::chrono::milliseconds(1000), std::chrono::milliseconds(30000),
                                  2.0, 0.5};
};

struct ReplaySummary {
    std::uint64_t total_ticks = 0;
    std::uint64_t already_acked_ticks = 0;  // skipped: acknowledged by an earlier run
    std::uint64_t sent_ticks = 0;
    std::uint64_t sent_records = 0;
    std::uint64_t requests = 0;
    std::uint64_t ignored_lines = 0;  // malformed (with skip_malformed) or truncated
    bool resent_inflight = false;     // an interrupted batch was sent again
};

using ReplaySleeper = std::function<void(std::chrono::milliseconds)>;

// Replays options.collection through `http`. Throws UserError with how to resume when pcd
// keeps failing, rejects the key or the data.
ReplaySummary replay_collection(client::HttpClient& http, const ReplayOptions& options,
                                const ReplaySleeper& sleep);

void register_replay_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
