#include "pc/procfs/diskstats.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

ParseStatus parse_diskstats(std::string_view text, std::vector<DiskDevice>& out) {
    constexpr std::size_t kMinFields = 14;
    constexpr std::size_t kMaxFields = 3 + DiskDevice::count;
    std::size_t used = 0;
    LineCursor lines(text);
    std::string_view line;
    std::string_view tok[kMaxFields];
    while (lines.next(line)) {
        // One pass: split into at most kMaxFields tokens (extra ones are ignored, as sar does).
        std::size_t n = 0;
        std::string_view rest = line;
        while (n < kMaxFields && !(tok[n] = next_token(rest)).empty()) ++n;
        if (n < kMinFields) continue;
        if (used == out.size()) out.emplace_back();
        DiskDevice& dev = out[used];
        if (!parse_u64(tok[0], dev.major) || !parse_u64(tok[1], dev.minor)) {
            out.resize(used);
            return ParseStatus::failure(line_error(
                lines.number(), "bad device number " + excerpt(tok[0]) + " " + excerpt(tok[1])));
        }
        dev.name.assign(tok[2]);
        dev.v.fill(0);
        for (std::size_t f = 3; f < n; ++f) {
            if (!parse_u64(tok[f], dev.v[f - 3])) {
                out.resize(used);
                return ParseStatus::failure(line_error(
                    lines.number(),
                    "non-numeric counter " + excerpt(tok[f]) + " for " + excerpt(tok[2])));
            }
        }
        ++used;
    }
    out.resize(used);
    return ParseStatus::success();
}

}  // namespace pc::procfs
