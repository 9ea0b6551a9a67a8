// The cost of the dashboard's fleet refresh (docs/performance.md, "pcd dashboard: fleet
// refresh"): a FileStore with many machines, FleetView's first refreshes (every machine read
// whole, 64 per refresh), a refresh with nothing new, a refresh after one new tick on every
// machine, and one catch-up read of a long collection (the store scans the file for a range).
// Prints "name value unit" lines.
// Usage: pcd_bench_fleet [machines, default 1000] [ticks per machine, default 60]
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pc/server/fleet_view.hpp"
#include "pc/store/file_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::vector<pc::record::Record> ticks(std::int64_t first, int count) {
    std::vector<pc::record::Record> out;
    for (int i = 0; i < count; ++i) {
        const auto ts = first + i;
        const auto j = std::to_string(1000 + i * 100);
        out.push_back({ts, "/proc/stat",
                       "cpu  " + j + " 0 " + j + " " + j + " 0 0 0 0 0 0\ncpu0 " + j + " 0 " + j +
                           " " + j + " 0 0 0 0 0 0\ncpu1 " + j + " 0 " + j + " " + j +
                           " 0 0 0 0 0 0\nintr 1 2 3\nctxt 4\nbtime 5\nprocesses 6\n"
                           "procs_running 1\nprocs_blocked 0\n"});
        out.push_back({ts, "/proc/meminfo",
                       "MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:   "
                       " 4000000 kB\nBuffers:          100000 kB\nCached:          2000000 kB\n"
                       "Slab:             300000 kB\n"});
        out.push_back({ts, "/proc/loadavg", "0.10 0.20 0.30 1/200 3000\n"});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);  // the store's "new machine" lines are not results
    const int machines = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int per_machine = argc > 2 ? std::atoi(argv[2]) : 60;
    const auto dir =
        std::filesystem::temp_directory_path() / ("pcd_bench_fleet-" + std::to_string(::getpid()));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    {
        pc::store::StoreOptions options{dir, 16};
        options.max_open_files = 256;
        pc::store::FileStore store(options);
        for (int m = 0; m < machines; ++m) {
            char id[32];
            std::snprintf(id, sizeof id, "host-%05d", m);
            store.append(id, ticks(now - per_machine, per_machine), std::nullopt);
        }
        pc::server::FleetView view(store);
        auto t0 = Clock::now();
        int refreshes = 0;
        double slowest = 0;
        for (;;) {
            auto t = Clock::now();
            auto rows = view.refresh(now);
            slowest = std::max(slowest, ms_since(t));
            ++refreshes;
            bool pending = false;
            for (const auto& r : rows) pending = pending || r.pending;
            if (!pending) break;
        }
        std::printf("fleet.machines %d count\n", machines);
        std::printf("fleet.first_reads_all_ms %.1f ms\n", ms_since(t0));
        std::printf("fleet.first_refreshes %d count\n", refreshes);
        std::printf("fleet.first_refresh_slowest_ms %.1f ms\n", slowest);
        auto t1 = Clock::now();
        view.refresh(now);
        std::printf("fleet.refresh_nothing_new_ms %.2f ms\n", ms_since(t1));
        for (int m = 0; m < machines; ++m) {
            char id[32];
            std::snprintf(id, sizeof id, "host-%05d", m);
            store.append(id, ticks(now, 1), std::nullopt);
        }
        auto t2 = Clock::now();
        view.refresh(now + 1);
        std::printf("fleet.refresh_64_new_ticks_ms %.1f ms\n", ms_since(t2));

        // One long collection: catching up one tick scans the file's lines.
        const int long_ticks = 3600;
        store.append("long-01", ticks(now - long_ticks, long_ticks), std::nullopt);
        pc::server::FleetView fresh(store, 1000000);
        fresh.refresh(now);  // everyone read once
        store.append("long-01", ticks(now + 1, 1), std::nullopt);
        auto t3 = Clock::now();
        fresh.refresh(now + 2);
        const auto bytes = std::filesystem::file_size(dir / "long-01.json");
        std::printf("fleet.catch_up_one_tick_of_%d_ms %.1f ms\n", long_ticks, ms_since(t3));
        std::printf("fleet.catch_up_file_mb %.1f MB\n", static_cast<double>(bytes) / 1e6);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
