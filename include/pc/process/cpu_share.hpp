// CPU percentages between two /proc/stat samples, with pcprocess's exact arithmetic.
#pragma once

#include "pc/procfs/stat.hpp"

namespace pc::process {

struct CpuShares {
    double user = 0, nice = 0, system = 0, iowait = 0, steal = 0, idle = 0;
};

// The original's formula (spec §5.1), which both modes keep so that CPU % match byte for byte:
// every counter is divided by 100 (USER_HZ) as a double first; busy = ((((((user + system) +
// nice) + iowait) + irq) + softirq) + steal), all = busy + idle, D = all(c) - all(p);
// X = clamp((c.X - p.X) / D * 100) and %idle = 100 - clamp((busy(c) - busy(p)) / D * 100).
// When busy did not grow: all 0 and idle 100; when `all` did not grow: all 100 and idle 0.
CpuShares cpu_shares(const procfs::CpuJiffies& prev, const procfs::CpuJiffies& cur);

// True when any counter of `cur` is smaller than in `prev` (wrap, reset, reboot).
bool went_backwards(const procfs::CpuJiffies& prev, const procfs::CpuJiffies& cur);

}  // namespace pc::process
