// /proc/net/dev: per-interface receive and transmit counters.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

struct NetDevice {
    // The 16 counters after "name:", in file order.
    enum Field {
        rx_bytes,
        rx_packets,
        rx_errs,
        rx_drop,
        rx_fifo,
        rx_frame,
        rx_compressed,
        rx_multicast,
        tx_bytes,
        tx_packets,
        tx_errs,
        tx_drop,
        tx_fifo,
        tx_colls,
        tx_carrier,
        tx_compressed,
        count
    };
    std::string name;
    std::array<std::uint64_t, count> v{};

    std::uint64_t operator[](Field f) const { return v[f]; }
};

// Parses /proc/net/dev into `out` in file order (its elements and their name buffers are
// reused). The first two lines are the header; every other non-blank line is
// "name: 16 counters" (missing trailing counters are 0). A line that is not (no ':', a counter
// that is not a number) fails the whole text, unless `skipped_lines` is given: then that line
// alone is left out, counted there, and the other interfaces are kept.
ParseStatus parse_net_dev(std::string_view text, std::vector<NetDevice>& out,
                          std::uint64_t* skipped_lines = nullptr);

}  // namespace pc::procfs
