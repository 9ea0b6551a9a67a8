// The cost of pcd's metrics (docs/performance.md, "pcd /metrics"): counting one request, as
// every request does, from one thread and from several at once; and one GET /metrics scrape's
// text with 10 and with 10,000 machines. Prints "name value unit" lines.
// Usage: pcd_bench_metrics [requests per thread, default 2000000]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pc/server/metrics.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Nanoseconds per count_request when `threads` threads each count `n` requests at once.
double count_ns(int threads, std::uint64_t n) {
    pc::server::Metrics metrics;
    std::vector<std::thread> workers;
    auto t0 = Clock::now();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&metrics, n, t] {
            for (std::uint64_t i = 0; i < n; ++i) {
                // Mostly the trickle route, now and then another, as under load.
                if ((i & 63) == 0) {
                    metrics.count_request("/v1/machines/{id}/collection", t % 2 ? 200 : 404);
                } else {
                    metrics.count_request("/v1/trickle", 200);
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    return seconds_since(t0) * 1e9 / static_cast<double>(n * static_cast<std::uint64_t>(threads));
}

std::vector<pc::store::MachineSummary> machines(int count) {
    std::vector<pc::store::MachineSummary> out;
    for (int i = 0; i < count; ++i) {
        pc::store::MachineSummary m;
        char id[32];
        std::snprintf(id, sizeof id, "host-%05d.example.net", i);
        m.identifier = id;
        m.records = 86400 + static_cast<std::uint64_t>(i);
        m.bytes = 1234567890 + static_cast<std::uint64_t>(i);
        m.first_timestamp = 1767225600;
        m.last_timestamp = 1767312000 + i;
        m.last_seen = 1767312001 + i;
        out.push_back(std::move(m));
    }
    return out;
}

// Median milliseconds of one scrape over `repeat` scrapes; also the text's size.
void scrape(int count, int repeat) {
    pc::server::Metrics metrics;
    for (const char* route : {"/v1/trickle", "/v1/ping", "/metrics", "/health"}) {
        metrics.count_request(route, 200);
    }
    metrics.count_rejected("auth");
    metrics.count_stored(10, 5000, 0.002);
    auto list = machines(count);
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int r = 0; r < repeat; ++r) {
        auto t0 = Clock::now();
        bytes = metrics.prometheus_text(list).size();
        ms.push_back(seconds_since(t0) * 1e3);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("metrics.scrape.machines%d %.4f ms\n", count, ms[ms.size() / 2]);
    std::printf("metrics.scrape.machines%d.bytes %zu bytes\n", count, bytes);
}

long peak_rss_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
    std::printf("metrics.count_request.threads1 %.1f ns\n", count_ns(1, n));
    std::printf("metrics.count_request.threads4 %.1f ns\n", count_ns(4, n / 4));
    scrape(10, 2001);
    scrape(10000, 21);
    std::printf("metrics.bench.peak_rss %ld kB\n", peak_rss_kb());
    return 0;
}
