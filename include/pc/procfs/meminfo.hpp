// /proc/meminfo: the fields sar -r uses, in kB.
#pragma once

#include <cstdint>
#include <string_view>

#include "pc/procfs/parse_status.hpp"

namespace pc::procfs {

// Values in kB as written; a key absent from the text stays 0.
struct MemInfo {
    std::uint64_t mem_total = 0;      // MemTotal:
    std::uint64_t mem_free = 0;       // MemFree:
    std::uint64_t mem_available = 0;  // MemAvailable:
    std::uint64_t buffers = 0;        // Buffers:
    std::uint64_t cached = 0;         // Cached:
    std::uint64_t slab = 0;           // Slab:
    std::uint64_t committed_as = 0;   // Committed_AS:
    std::uint64_t swap_total = 0;     // SwapTotal:
    std::uint64_t active = 0;         // Active:
    std::uint64_t inactive = 0;       // Inactive:
    std::uint64_t dirty = 0;          // Dirty:
    bool has_mem_total = false;
    bool operator==(const MemInfo&) const = default;
};

// Parses "Key:   value [kB]" lines. Keys match exactly, colon included ("Active(anon):" is not
// "Active:"); unknown keys are ignored; a known key with a non-numeric value is an error.
ParseStatus parse_meminfo(std::string_view text, MemInfo& out);

}  // namespace pc::procfs
