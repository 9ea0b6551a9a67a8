// Stop requests for the collection loop, and the SIGINT/SIGTERM watcher that raises them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace pc::collect {

class StopSignal {
public:
    void request_stop();
    bool stop_requested() const { return stopped_.load(); }
    // Sleeps until `deadline` or a stop request; true when stop was requested.
    bool wait_until(std::chrono::steady_clock::time_point deadline);

private:
    std::atomic<bool> stopped_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
};

// Blocks SIGINT and SIGTERM in the calling thread (construct it in main() before any other
// thread starts, so every thread inherits the mask) and handles them on a thread of its own:
// the first one requests a graceful stop, a second one exits at once with 128 + signal.
class SignalWatcher {
public:
    explicit SignalWatcher(StopSignal& stop);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    StopSignal& stop_;
    std::atomic<bool> closing_{false};
    std::thread thread_;
};

}  // namespace pc::collect
