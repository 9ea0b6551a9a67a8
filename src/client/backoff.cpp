#include "pc/client/backoff.hpp"

#include <algorithm>

namespace pc::client {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed)
    : policy_(policy), rng_(seed), base_ms_(static_cast<double>(policy.initial.count())) {
    policy_.jitter = std::clamp(policy_.jitter, 0.0, 1.0);
    policy_.multiplier = std::max(policy_.multiplier, 1.0);
    if (policy_.max < policy_.initial) policy_.max = policy_.initial;
}

std::chrono::milliseconds Backoff::next() {
    const double base = std::min(base_ms_, static_cast<double>(policy_.max.count()));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double delay = base * (1.0 - policy_.jitter * unit(rng_));
    base_ms_ = std::min(base * policy_.multiplier, static_cast<double>(policy_.max.count()));
    ++attempts_;
    return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
}

void Backoff::reset() {
    base_ms_ = static_cast<double>(policy_.initial.count());
    attempts_ = 0;
}

}  // namespace pc::client
