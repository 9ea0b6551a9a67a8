#include "pc/procfs/meminfo.hpp"

#include <string>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

std::uint64_t* field_for(std::string_view key, MemInfo& m) {
    // Dispatch on the first letter first: most of /proc/meminfo's ~50 keys are not ours.
    switch (key.empty() ? '\0' : key.front()) {
        case 'M':
            if (key == "MemTotal:") return &m.mem_total;
            if (key == "MemFree:") return &m.mem_free;
            if (key == "MemAvailable:") return &m.mem_available;
            break;
        case 'B':
            if (key == "Buffers:") return &m.buffers;
            break;
        case 'C':
            if (key == "Cached:") return &m.cached;
            if (key == "Committed_AS:") return &m.committed_as;
            break;
        case 'S':
            if (key == "Slab:") return &m.slab;
            if (key == "SwapTotal:") return &m.swap_total;
            break;
        case 'A':
            if (key == "Active:") return &m.active;
            break;
        case 'I':
            if (key == "Inactive:") return &m.inactive;
            break;
        case 'D':
            if (key == "Dirty:") return &m.dirty;
            break;
        default:
            break;
    }
    return nullptr;
}

}  // namespace

ParseStatus parse_meminfo(std::string_view text, MemInfo& out) {
    out = MemInfo{};
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        std::string_view rest = line;
        std::string_view key = next_token(rest);
        std::uint64_t* field = field_for(key, out);
        if (!field) continue;
        std::string_view value = next_token(rest);
        if (!parse_u64(value, *field)) {
            return ParseStatus::failure(line_error(
                lines.number(), "non-numeric value " + excerpt(value) + " for " + excerpt(key)));
        }
        if (field == &out.mem_total) out.has_mem_total = true;
    }
    return ParseStatus::success();
}

}  // namespace pc::procfs
