// system_info.json: the first processor block of the first /proc/cpuinfo, as the original's
// json.MarshalIndent(info, "", "  ") wrote it.
#pragma once

#include <string>

#include "pc/procfs/cpuinfo.hpp"

namespace pc::process {

// Keys in order: vendor_id, model_name, cpu_cores, siblings, cpu_mhz, cache_size, total_cpus,
// physical_cpus, bogomips, flags; floats and strings in Go's JSON encoding; ends with "\n".
std::string render_system_info(const procfs::CpuInfoSummary& info);

}  // namespace pc::process
