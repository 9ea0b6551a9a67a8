// Requests per second per client (API key fingerprint, or address for unauthenticated ones):
// a token bucket that refills at `rate` per second and holds up to 2 x rate (at least 1).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pc::server {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(double rate_per_second);

    // True when the client may proceed (and a token is taken). Always true when rate is 0.
    bool allow(const std::string& client, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };
    void forget_idle(Clock::time_point now);

    double rate_;
    double burst_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    Clock::time_point last_sweep_{};
};

}  // namespace pc::server
