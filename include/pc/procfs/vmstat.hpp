// /proc/vmstat: the paging counters sar -B reports.
#pragma once

#include <cstdint>
#include <string_view>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

// Cumulative counters since boot. Sums follow sar: pgscan_kswapd* (per-zone on old kernels),
// pgscan_direct* except pgscan_direct_throttle, pgsteal_kswapd* + pgsteal_direct*.
struct VmStat {
    std::uint64_t pgpgin = 0;      // kB paged in from disk
    std::uint64_t pgpgout = 0;     // kB paged out to disk
    std::uint64_t pgfault = 0;     // page faults, minor and major
    std::uint64_t pgmajfault = 0;  // major faults
    std::uint64_t pgfree = 0;      // pages freed
    std::uint64_t pgscan_kswapd = 0;
    std::uint64_t pgscan_direct = 0;
    std::uint64_t pgsteal = 0;
    bool operator==(const VmStat&) const = default;
};

// Parses "name value" lines; unknown names are ignored, a known one with a bad value is an error.
ParseStatus parse_vmstat(std::string_view text, VmStat& out);

}  // namespace pc::procfs
