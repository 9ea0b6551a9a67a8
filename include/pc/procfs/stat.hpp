// /proc/stat: the aggregate and per-CPU jiffy counters, btime and the process counts.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

// The ten counters of a "cpu" line, in jiffies (USER_HZ = 100 per second), in file order.
struct CpuJiffies {
    enum Field { user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice, count };
    std::array<std::uint64_t, count> v{};

    std::uint64_t operator[](Field f) const { return v[f]; }
    // user+nice+system+idle+iowait+irq+softirq+steal: the elapsed time of this line, as sar
    // counts it (guest and guest_nice are already inside user and nice).
    std::uint64_t total() const;
    bool operator==(const CpuJiffies&) const = default;
};

struct StatSample {
    bool has_total = false;  // the "cpu" line
    CpuJiffies total;
    // Indexed by N of "cpuN"; `present[N]` says whether the line exists (CPUs can be offline).
    std::vector<CpuJiffies> cpus;
    std::vector<bool> present;
    bool has_btime = false;
    std::uint64_t btime = 0;
    bool has_procs = false;
    std::uint64_t procs_running = 0;
    std::uint64_t procs_blocked = 0;

    std::size_t online_cpus() const;
    void clear();
};

// Parses a /proc/stat text into `out` (cleared first, its buffers reused). Lines whose first
// token starts with "cpu" must be "cpu" or "cpuN" followed by up to ten unsigned integers
// (missing trailing ones are 0); other lines are ignored except btime, procs_running and
// procs_blocked.
ParseStatus parse_stat(std::string_view text, StatSample& out);

}  // namespace pc::procfs
