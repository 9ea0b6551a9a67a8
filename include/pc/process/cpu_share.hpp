// CPU percentages between two /proc/stat samples, with pcprocess's exact arithmetic.
#pragma once

#include "pc/procfs/stat.hpp"

namespace pc::process {

struct CpuShares {
    double user = 0, nice = 0, system = 0, iowait = 0, steal = 0, idle = 0;
};

// The original's formula (spec §5.1), kept by compat mode so that CPU % match byte for byte:
// every counter is divided by 100 (USER_HZ) as a double first; busy = ((((((user + system) +
// nice) + iowait) + irq) + softirq) + steal), all = busy + idle, D = all(c) - all(p);
// X = clamp((c.X - p.X) / D * 100) and %idle = 100 - clamp((busy(c) - busy(p)) / D * 100).
// When busy did not grow: all 0 and idle 100; when `all` did not grow: all 100 and idle 0.
CpuShares cpu_shares(const procfs::CpuJiffies& prev, const procfs::CpuJiffies& cur);

// sar -u's formula (sysstat 12), used by default mode: D = Δ(user + nice + system + idle +
// iowait + irq + softirq + steal) in integer jiffies (guest and guest_nice are already inside
// user and nice); %usr = Δuser / D × 100 (guest time included, as sar -u shows it), %nice =
// Δnice, %system = Δ(system + irq + softirq), %iowait, %steal, %idle = Δidle, each / D × 100,
// so the six add up to 100. D = 0 (a tickless or offline CPU): 0 ×5 and %idle 100. Counters
// must not have gone backwards (see went_backwards).
CpuShares sar_cpu_shares(const procfs::CpuJiffies& prev, const procfs::CpuJiffies& cur);

// True when any counter of `cur` is smaller than in `prev` (wrap, reset, reboot).
bool went_backwards(const procfs::CpuJiffies& prev, const procfs::CpuJiffies& cur);

}  // namespace pc::process
