// /proc/uptime: "10965.27 20170.54\n", seconds since boot and idle seconds summed over CPUs.
#pragma once

#include <cstdint>
#include <string_view>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

struct Uptime {
    // Time since boot in 1/100 s, read exactly from the decimal text (the kernel prints
    // centiseconds; no double rounding): sysstat's uptime_cs, the interval clock of sar.
    std::uint64_t uptime_cs = 0;
};

// The first field is required: digits, optionally '.' and one or two digits.
ParseStatus parse_uptime(std::string_view text, Uptime& out);

}  // namespace pc::procfs
