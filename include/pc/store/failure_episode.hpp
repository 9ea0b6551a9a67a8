#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

namespace pc::store {

// Tracks whether storage is currently failing (disk full, I/O errors), so that an outage is
// logged when it starts and when it ends instead of once per refused request.
class FailureEpisode {
public:
    // Records a failed write; true when it starts a new episode (the one to log).
    bool failed();
    // Records a successful write; the number of failures when it ends an episode.
    std::optional<std::uint64_t> succeeded();

private:
    std::mutex mutex_;
    std::uint64_t failures_ = 0;
};

// The process-wide episode: a full disk affects every machine's files at once.
FailureEpisode& storage_episode();

}  // namespace pc::store
