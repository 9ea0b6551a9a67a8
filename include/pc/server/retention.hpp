// PCD_RETENTION: a background thread that trims every machine's stored data to the retention
// period, at start and then every PCD_RETENTION_INTERVAL.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace pc::store {
class Store;
}

namespace pc::server {

// How far past the retention period the oldest data may get before a machine is trimmed: a
// tenth of the period, at most a day. A trim copies the kept data, so trimming a little at
// every check would copy almost the whole collection each time.
std::chrono::seconds retention_slack(std::chrono::seconds keep);

// One pass at Unix time `now`: every machine whose first record is older than
// now - keep - slack loses the batches older than now - keep. Failures are logged per machine
// and do not stop the pass. Returns the records removed.
std::uint64_t enforce_retention(store::Store& store, std::chrono::seconds keep, std::int64_t now);

class RetentionTask {
public:
    // Starts the thread (nothing when `keep` is zero).
    RetentionTask(store::Store& store, std::chrono::seconds keep, std::chrono::seconds interval);
    ~RetentionTask();  // stops it, waiting for a trim in progress
    RetentionTask(const RetentionTask&) = delete;
    RetentionTask& operator=(const RetentionTask&) = delete;

private:
    void loop();

    store::Store& store_;
    std::chrono::seconds keep_;
    std::chrono::seconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace pc::server
