// The statfs[*] payload: one JSON object per mounted filesystem, one per line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

// statfs(2) of one mount: f_bsize, f_blocks, f_bfree, f_bavail (blocks of block_size bytes).
struct FsStat {
    std::string mount_point;
    std::uint64_t block_size = 0;
    std::uint64_t blocks_total = 0;
    std::uint64_t blocks_free = 0;
    std::uint64_t blocks_available = 0;
};

// Parses lines like
// {"mount_point":"/","block_size":4096,"blocks_total":9301568,"blocks_free":5874717,"blocks_available":5874717}
// into `out` in input order (elements reused). Any key order is accepted; all five keys are
// required; blank lines are ignored.
ParseStatus parse_statfs(std::string_view text, std::vector<FsStat>& out);

}  // namespace pc::procfs
