// Key refusals are what a client without a key can produce at line rate: logging each one
// gave 27,000 lines in 100 s from one client. The first refusal of a window is logged whole,
// with how many were left unlogged since the last logged one; the rest are only counted
// (and every refusal is still counted in /metrics).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace pc::server {

class WarningThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit WarningThrottle(std::chrono::seconds window = std::chrono::seconds(60))
        : window_(window) {}

    // For each event: nullopt when it is only counted; otherwise it is to be logged, and the
    // value is how many events were counted without a line since the last logged one.
    std::optional<std::uint64_t> admit(Clock::time_point now = Clock::now());

private:
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::optional<Clock::time_point> last_logged_;
    std::uint64_t unlogged_ = 0;
};

}  // namespace pc::server
