// pcd's counters, shown by GET /metrics (Prometheus text format) and GET /health.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pc/api/health.hpp"
#include "pc/store/machine_summary.hpp"

namespace pc::server {

class Metrics {
public:
    Metrics();

    // `route` is the route pattern (see route_label), never the raw path.
    void count_request(std::string_view route, int status);
    // A trickle request refused; reason: auth, rate_limit, encoding, too_large, bad_request,
    // storage.
    void count_rejected(std::string_view reason);
    void count_stored(std::uint64_t records, std::uint64_t bytes, double store_seconds);
    void count_duplicate();

    // With one series per machine for each per-machine metric (machines sorted by id).
    std::string prometheus_text(const std::vector<store::MachineSummary>& machines) const;
    api::Health health(std::uint64_t machines) const;
    std::int64_t uptime_seconds() const;

private:
    static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0};
    std::chrono::steady_clock::time_point started_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::string, std::uint64_t> rejected_;
    std::array<std::uint64_t, kBuckets.size()> latency_buckets_{};
    std::uint64_t latency_count_ = 0;
    double latency_sum_ = 0;
    std::atomic<std::uint64_t> requests_total_{0};
    std::atomic<std::uint64_t> rejected_total_{0};
    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> duplicates_{0};
    std::atomic<std::uint64_t> records_{0};
    std::atomic<std::uint64_t> bytes_{0};
};

// Maps a request path to the route it was served by, so labels stay few: "/v1/trickle",
// "/v1/machines/{id}/collection", ... or "other".
std::string_view route_label(std::string_view path);

}  // namespace pc::server
