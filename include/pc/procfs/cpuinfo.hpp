// /proc/cpuinfo: the system description pcprocess writes to system_info.json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

// Values from the FIRST processor block, plus counts over all blocks. A key missing from the
// first block leaves its value empty / 0 (ARM kernels have no "model name", for example).
struct CpuInfoSummary {
    std::string vendor_id;           // "vendor_id"
    std::string model_name;          // "model name"
    std::int64_t cpu_cores = 0;      // "cpu cores"
    std::int64_t siblings = 0;       // "siblings"
    double cpu_mhz = 0;              // "cpu MHz"
    std::string cache_size;          // "cache size"
    std::int64_t total_cpus = 0;     // "processor" lines; s390 and ARMv6 forms counted too
    std::int64_t physical_cpus = 0;  // number of distinct "physical id" values
    double bogomips = 0;             // "bogomips" (also "BogoMIPS" on ARM)
    std::string flags;               // "flags" (also "Features" on ARM)
};

// Parses "key<tabs>: value" lines. A numeric key with an unparsable value is an error.
ParseStatus parse_cpuinfo(std::string_view text, CpuInfoSummary& out);

}  // namespace pc::procfs
