#include "pc/collect/statfs_probe.hpp"

#include <sys/statfs.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "pc/record/go_json.hpp"

namespace pc::collect {

int system_statfs(const std::string& path, FsStats& out) {
    struct statfs st {};
    if (::statfs(path.c_str(), &st) != 0) return errno;
    out.block_size = static_cast<std::uint64_t>(st.f_bsize);
    out.blocks_total = static_cast<std::uint64_t>(st.f_blocks);
    out.blocks_free = static_cast<std::uint64_t>(st.f_bfree);
    out.blocks_available = static_cast<std::uint64_t>(st.f_bavail);
    return 0;
}

std::string format_statfs_line(std::string_view mount_point, const FsStats& stats) {
    std::string line = "{\"mount_point\":";
    record::append_go_json_string(line, mount_point);
    line += ",\"block_size\":" + std::to_string(stats.block_size);
    line += ",\"blocks_total\":" + std::to_string(stats.blocks_total);
    line += ",\"blocks_free\":" + std::to_string(stats.blocks_free);
    line += ",\"blocks_available\":" + std::to_string(stats.blocks_available);
    line += "}\n";
    return line;
}

// Shared between the prober and its worker thread, which may outlive the prober. The prober
// hands over one request at a time; `path` is written only while the worker is idle.
struct StatfsProbe::Worker {
    explicit Worker(StatfsFunction fn) : statfs(std::move(fn)) {}

    StatfsFunction statfs;  // the worker's own copy
    std::mutex mutex;
    std::condition_variable request_cv;
    std::condition_variable done_cv;
    std::string path;
    bool requested = false;
    bool done = false;
    bool stop = false;  // set when abandoned or when the prober goes away
    int error = 0;
    FsStats stats;

    void run() {
        std::unique_lock lock(mutex);
        for (;;) {
            request_cv.wait(lock, [&] { return stop || requested; });
            if (!requested) return;
            requested = false;
            lock.unlock();
            FsStats result;
            const int result_error = statfs(path, result);
            lock.lock();
            stats = result;
            error = result_error;
            done = true;
            done_cv.notify_one();
        }
    }

    void stop_when_idle() {
        std::lock_guard lock(mutex);
        stop = true;
        request_cv.notify_one();
    }
};

StatfsProbe::StatfsProbe(StatfsFunction statfs, std::chrono::milliseconds deadline)
    : statfs_(std::move(statfs)), deadline_(deadline) {}

StatfsProbe::~StatfsProbe() {
    if (worker_) worker_->stop_when_idle();
}

StatfsProbe::Result StatfsProbe::probe(const std::string& path) {
    if (auto it = hung_.find(path); it != hung_.end()) {
        std::lock_guard lock(it->second->mutex);
        if (!it->second->done) return Result{Status::still_hung, {}, 0};
        hung_.erase(it);  // the old call came back (its worker has exited): try again below
    }
    if (!worker_) {
        worker_ = std::make_shared<Worker>(statfs_);
        // Detached: the thread holds its own reference, so it may safely outlive this object.
        std::thread([worker = worker_] { worker->run(); }).detach();
    }
    Worker& worker = *worker_;
    std::unique_lock lock(worker.mutex);
    worker.path = path;
    worker.done = false;
    worker.requested = true;
    worker.request_cv.notify_one();
    if (!worker.done_cv.wait_for(lock, deadline_, [&] { return worker.done; })) {
        // Abandon the blocked worker: it exits after its call returns; a new one serves the rest.
        worker.stop = true;
        lock.unlock();
        hung_.insert_or_assign(path, std::move(worker_));
        worker_.reset();
        return Result{Status::timed_out, {}, 0};
    }
    if (worker.error != 0) return Result{Status::failed, {}, worker.error};
    return Result{Status::ok, worker.stats, 0};
}

}  // namespace pc::collect
