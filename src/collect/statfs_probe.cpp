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
    append_go_json_string(line, mount_point);
    line += ",\"block_size\":" + std::to_string(stats.block_size);
    line += ",\"blocks_total\":" + std::to_string(stats.blocks_total);
    line += ",\"blocks_free\":" + std::to_string(stats.blocks_free);
    line += ",\"blocks_available\":" + std::to_string(stats.blocks_available);
    line += "}\n";
    return line;
}

// Shared between the prober and the worker thread, which may outlive the prober.
struct StatfsProbe::Call {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    int error = 0;
    FsStats stats;
};

StatfsProbe::StatfsProbe(StatfsFunction statfs, std::chrono::milliseconds deadline)
    : statfs_(std::move(statfs)), deadline_(deadline) {}

StatfsProbe::~StatfsProbe() = default;

StatfsProbe::Result StatfsProbe::probe(const std::string& path) {
    if (auto it = hung_.find(path); it != hung_.end()) {
        std::lock_guard lock(it->second->mutex);
        if (!it->second->done) return Result{Status::still_hung, {}, 0};
        hung_.erase(it);  // the old call came back: try again below
    }
    auto call = std::make_shared<Call>();
    // The worker owns copies of everything it touches, so it may safely outlive this object.
    std::thread([call, fn = statfs_, path] {
        FsStats stats;
        int error = fn(path, stats);
        std::lock_guard lock(call->mutex);
        call->stats = stats;
        call->error = error;
        call->done = true;
        call->done_cv.notify_all();
    }).detach();

    std::unique_lock lock(call->mutex);
    if (!call->done_cv.wait_for(lock, deadline_, [&] { return call->done; })) {
        hung_.emplace(path, call);
        return Result{Status::timed_out, {}, 0};
    }
    if (call->error != 0) return Result{Status::failed, {}, call->error};
    return Result{Status::ok, call->stats, 0};
}

}  // namespace pc::collect
