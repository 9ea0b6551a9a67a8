// pcd's counters, shown by GET /metrics (Prometheus text format) and GET /health. The series
// live in prometheus-cpp's core library (a registry, its families and its text serializer;
// not its HTTP exposer): only pcd and what links the server module need it (CMakeLists.txt).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pc/api/health.hpp"
#include "pc/store/machine_summary.hpp"

namespace pc::server {

class Metrics {
public:
    Metrics();
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    // `route` is the route pattern (see route_label), never the raw path.
    void count_request(std::string_view route, int status);
    // A trickle request refused; reason: auth, rate_limit, encoding, too_large, bad_request,
    // storage.
    void count_rejected(std::string_view reason);
    void count_stored(std::uint64_t records, std::uint64_t bytes, double store_seconds);
    void count_duplicate();
    // A batch the store failed to take (answered 503): pcd_store_failures_total.
    void count_store_failure();

    // With one series per machine for each per-machine metric, built from `machines` at each
    // call: a machine deleted since the last scrape is simply absent.
    std::string prometheus_text(const std::vector<store::MachineSummary>& machines) const;
    api::Health health(std::uint64_t machines) const;
    std::int64_t uptime_seconds() const;

private:
    // prometheus-cpp's registry and families (metrics.cpp): its headers stay out of this one.
    struct Families;

    std::chrono::steady_clock::time_point started_;
    std::unique_ptr<Families> families_;
    std::atomic<std::uint64_t> requests_total_{0};
    std::atomic<std::uint64_t> rejected_total_{0};
};

// Maps a request path to the route it was served by, so labels stay few: "/v1/trickle",
// "/v1/machines/{id}/collection", ... or "other".
std::string_view route_label(std::string_view path);

}  // namespace pc::server
