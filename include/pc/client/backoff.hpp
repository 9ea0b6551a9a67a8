// Retry delays: exponential backoff with jitter, so many agents do not retry in lockstep.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace pc::client {

struct BackoffPolicy {
    std::chrono::milliseconds initial{1000};  // first delay
    std::chrono::milliseconds max{60000};     // the delay stops growing here
    double multiplier = 2.0;                  // growth per failed attempt
    // Fraction of each delay that is random: the delay is uniform in [base*(1-jitter), base].
    // 0 makes the sequence deterministic.
    double jitter = 0.5;
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = std::random_device{}());

    // The delay before the next attempt; each call grows the base delay up to policy.max.
    std::chrono::milliseconds next();
    // After a success: the next failure starts again from policy.initial.
    void reset();
    // Failed attempts since the last reset.
    unsigned attempts() const { return attempts_; }
    const BackoffPolicy& policy() const { return policy_; }

private:
    BackoffPolicy policy_;
    std::mt19937_64 rng_;
    double base_ms_;
    unsigned attempts_ = 0;
};

}  // namespace pc::client
