// statfs(2) with a deadline: a hung network mount must never stall collection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace pc::collect {

struct FsStats {
    std::uint64_t block_size = 0;        // f_bsize
    std::uint64_t blocks_total = 0;      // f_blocks
    std::uint64_t blocks_free = 0;       // f_bfree
    std::uint64_t blocks_available = 0;  // f_bavail
};

// Fills `out` and returns 0, or returns an errno value. Injectable so tests control the numbers.
using StatfsFunction = std::function<int(const std::string& path, FsStats& out)>;

// The real statfs(2).
int system_statfs(const std::string& path, FsStats& out);

// One line of the statfs[*] measurement, with its '\n':
// {"mount_point":"/","block_size":4096,"blocks_total":1,"blocks_free":2,"blocks_available":3}
std::string format_statfs_line(std::string_view mount_point, const FsStats& stats);

// Runs each call on one long-lived worker thread and waits at most `deadline`. A call that
// misses the deadline leaves that worker blocked in the kernel: it is abandoned (it exits once
// the call returns) and the next call starts a fresh worker. The path is reported as still hung
// (and not called again) until the abandoned call returns.
class StatfsProbe {
public:
    enum class Status { ok, failed, timed_out, still_hung };
    struct Result {
        Status status = Status::failed;
        FsStats stats;
        int error = 0;  // errno when failed
    };

    explicit StatfsProbe(StatfsFunction statfs = system_statfs,
                         std::chrono::milliseconds deadline = std::chrono::seconds(5));
    ~StatfsProbe();
    StatfsProbe(const StatfsProbe&) = delete;
    StatfsProbe& operator=(const StatfsProbe&) = delete;

    Result probe(const std::string& path);
    std::chrono::milliseconds deadline() const { return deadline_; }

private:
    struct Worker;
    StatfsFunction statfs_;
    std::chrono::milliseconds deadline_;
    std::shared_ptr<Worker> worker_;                       // null until needed or after a hang
    std::map<std::string, std::shared_ptr<Worker>> hung_;  // path -> abandoned worker still blocked
};

}  // namespace pc::collect
