// pcd's load test (POST /v1/loadtest): the CPU capacity measurement on pcd's own host, one run
// at a time, stopped when the client hangs up or pcd shuts down.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

#include "pc/measure/result.hpp"

namespace pc::server {

class LoadTest {
public:
    // `level_length`: time per level (PCD_LOADTEST_SECONDS_PER_LEVEL).
    explicit LoadTest(std::chrono::nanoseconds level_length) : level_length_(level_length) {}

    struct Outcome {
        // Set when a run happened (complete, or stopped with error set).
        std::optional<measure::MeasureResult> result;
        // Set when another run is in progress: whole seconds it has left (at least 1).
        std::optional<long> busy_seconds_left;
        bool client_gone = false;  // the run stopped because the client hung up
    };

    // Runs the measurement now, unless one is already running. `client_gone` is asked between
    // slices of the run. The workers run at nice 19, so requests served meanwhile come first.
    Outcome run(const std::function<bool()>& client_gone);

    // Stops a run in progress and refuses later ones (pcd is stopping).
    void shut_down() { stopping_ = true; }
    bool stopping() const { return stopping_; }

    std::chrono::nanoseconds total_length() const;

private:
    std::chrono::nanoseconds level_length_;
    std::mutex mutex_;
    bool running_ = false;
    std::chrono::steady_clock::time_point ends_at_{};
    std::atomic<bool> stopping_{false};
};

}  // namespace pc::server
