#include "pc/server/rate_limiter.hpp"

#include <algorithm>

namespace pc::server {

RateLimiter::RateLimiter(double rate_per_second)
    : rate_(rate_per_second), burst_(std::max(1.0, 2 * rate_per_second)) {}

bool RateLimiter::allow(const std::string& client, Clock::time_point now) {
    if (rate_ <= 0) return true;
    std::lock_guard lock(mutex_);
    forget_idle(now);
    auto [it, inserted] = buckets_.try_emplace(client, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) {
        double elapsed = std::chrono::duration<double>(now - b.updated).count();
        if (elapsed > 0) b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.updated = std::max(b.updated, now);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
}

void RateLimiter::forget_idle(Clock::time_point now) {
    // A bucket that has been refilling for long enough is full: dropping it changes nothing.
    if (buckets_.size() < 1024 || now - last_sweep_ < std::chrono::seconds(10)) return;
    last_sweep_ = now;
    double full_after = burst_ / rate_;
    std::erase_if(buckets_, [&](const auto& kv) {
        return std::chrono::duration<double>(now - kv.second.updated).count() > full_after;
    });
}

}  // namespace pc::server
