#include "pc/server/warning_throttle.hpp"

namespace pc::server {

std::optional<std::uint64_t> WarningThrottle::admit(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (last_logged_ && now - *last_logged_ < window_) {
        ++unlogged_;
        return std::nullopt;
    }
    last_logged_ = now;
    std::uint64_t unlogged = unlogged_;
    unlogged_ = 0;
    return unlogged;
}

}  // namespace pc::server
