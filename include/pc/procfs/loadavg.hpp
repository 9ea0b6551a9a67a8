// /proc/loadavg: "0.52 0.58 0.59 2/345 12345".
#pragma once

#include <cstdint>
#include <string_view>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

struct LoadAvg {
    double load1 = 0;
    double load5 = 0;
    double load15 = 0;
    std::uint64_t runnable = 0;  // scheduling entities currently runnable (before the '/')
    std::uint64_t entities = 0;  // scheduling entities that exist (after the '/')
    std::uint64_t last_pid = 0;
};

// The first four fields are required; last_pid is optional.
ParseStatus parse_loadavg(std::string_view text, LoadAvg& out);

}  // namespace pc::procfs
