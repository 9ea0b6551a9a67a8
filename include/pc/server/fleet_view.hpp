// The dashboard's fleet page data: one row per stored machine (last seen, ticks, gaps,
// interval, state, CPU busy % and memory used % from its last two ticks), kept in memory and
// brought up to date incrementally. A refresh reads, through Store::read with a TimeRange, only
// the records after the last tick it has seen, and only for machines whose summary changed; at
// most `max_reads` machines are read per refresh (the others keep their previous figures and
// are read by the next refreshes), so the cost of a refresh is bounded however large the fleet.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pc/procfs/stat.hpp"
#include "pc/server/machine_state.hpp"
#include "pc/server/tick_timeline.hpp"

namespace pc::store {
class Store;
}

namespace pc::server {

struct FleetRow {
    std::string identifier;
    std::int64_t last_seen = 0;  // Unix seconds pcd stored its last batch (0: never)
    std::int64_t age = 0;        // seconds since last_seen
    std::int64_t first_timestamp = 0;
    std::int64_t last_timestamp = 0;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    std::uint64_t ticks = 0;
    std::uint64_t gaps = 0;
    std::optional<std::int64_t> interval;  // seconds
    MachineState state = MachineState::silent;
    std::optional<double> cpu_busy_pct;  // from the last two /proc/stat records
    std::optional<double> mem_used_pct;  // from the last /proc/meminfo (sar's %memused)
    bool pending = false;                // not read yet (the read budget ran out)
};

class FleetView {
public:
    explicit FleetView(const store::Store& store, std::size_t max_reads = 64);

    // Every machine, sorted by identifier, as of `now` (Unix seconds).
    std::vector<FleetRow> refresh(std::int64_t now);
    // How many store reads the last refresh made (for tests and the bench).
    std::size_t last_reads() const { return last_reads_; }

private:
    struct Machine {
        std::uint64_t records_read = 0;  // the summary's records when last read
        std::int64_t first_timestamp = 0;
        bool read = false;
        std::chrono::steady_clock::time_point read_at{};
        TickTimeline timeline;
        std::optional<procfs::CpuJiffies> cpu_before, cpu_last;
        std::optional<double> mem_used_pct;
    };
    // Reads what was stored after the last tick seen; false when the machine is gone.
    bool catch_up(const std::string& identifier, Machine& machine);

    const store::Store& store_;
    std::size_t max_reads_;
    std::mutex mutex_;  // one refresh at a time
    std::map<std::string, Machine, std::less<>> machines_;
    std::size_t last_reads_ = 0;
};

// {"now":N,"machines":[{...}]}: what GET /dashboard/fleet.json answers.
std::string encode_fleet_json(const std::vector<FleetRow>& rows, std::int64_t now);

// 100 x (busy jiffies / all jiffies) between two /proc/stat "cpu" lines, busy being everything
// but idle and iowait; nullopt when no time passed or a counter went back (a reboot).
std::optional<double> cpu_busy_pct(const procfs::CpuJiffies& before,
                                   const procfs::CpuJiffies& after);

}  // namespace pc::server
