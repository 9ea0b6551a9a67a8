#include "pc/collect/stop_signal.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace pc::collect {

void StopSignal::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    cv_.notify_all();
}

bool StopSignal::wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return cv_.wait_until(lock, deadline, [&] { return stopped_.load(); });
}

namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

SignalWatcher::SignalWatcher(StopSignal& stop) : stop_(stop) {
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this, set] {
        int received = 0;
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            if (closing_) return;
            if (++received == 1) {
                spdlog::info(
                    "{} received: finishing the current tick, then exiting (send it "
                    "again to exit at once)",
                    sig == SIGINT ? "SIGINT" : "SIGTERM");
                stop_.request_stop();
            } else {
                spdlog::warn("second signal: exiting at once");
                spdlog::default_logger()->flush();
                ::_exit(128 + sig);
            }
        }
    });
}

SignalWatcher::~SignalWatcher() {
    // Wake the watcher with a signal aimed at its thread alone; it sees closing_ and returns.
    closing_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
}

}  // namespace pc::collect
