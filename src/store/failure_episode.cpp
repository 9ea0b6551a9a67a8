#include "pc/store/failure_episode.hpp"

namespace pc::store {

bool FailureEpisode::failed() {
    std::lock_guard lock(mutex_);
    return failures_++ == 0;
}

std::optional<std::uint64_t> FailureEpisode::succeeded() {
    std::lock_guard lock(mutex_);
    if (failures_ == 0) return std::nullopt;
    auto n = failures_;
    failures_ = 0;
    return n;
}

FailureEpisode& storage_episode() {
    static FailureEpisode episode;
    return episode;
}

}  // namespace pc::store
