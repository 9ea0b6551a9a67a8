// /proc/diskstats: per-block-device I/O counters.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

struct DiskDevice {
    // The counters after major, minor and name, in file order (17 on kernels >= 5.5).
    enum Field {
        rd_ios,
        rd_merges,
        rd_sectors,
        rd_ticks,
        wr_ios,
        wr_merges,
        wr_sectors,
        wr_ticks,
        in_flight,
        io_ticks,
        weighted_ticks,
        dc_ios,
        dc_merges,
        dc_sectors,
        dc_ticks,
        fl_ios,
        fl_ticks,
        count
    };
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::string name;
    std::array<std::uint64_t, count> v{};

    std::uint64_t operator[](Field f) const { return v[f]; }
    // Never read, written or discarded: sar leaves such devices out.
    bool unused() const { return v[rd_ios] == 0 && v[wr_ios] == 0 && v[dc_ios] == 0; }
};

// Parses /proc/diskstats into `out` in file order (elements reused). Lines with fewer than 14
// whitespace-separated fields are ignored, as sar does; missing trailing counters are 0.
ParseStatus parse_diskstats(std::string_view text, std::vector<DiskDevice>& out);

}  // namespace pc::procfs
