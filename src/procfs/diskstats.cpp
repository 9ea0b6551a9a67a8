#include "pc/procfs/diskstats.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

std::size_t count_fields(std::string_view line) {
    std::size_t n = 0;
    while (!next_token(line).empty()) ++n;
    return n;
}

}  // namespace

ParseStatus parse_diskstats(std::string_view text, std::vector<DiskDevice>& out) {
    constexpr std::size_t kMinFields = 14;
    std::size_t used = 0;
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        if (count_fields(line) < kMinFields) continue;
        if (used == out.size()) out.emplace_back();
        DiskDevice& dev = out[used++];
        std::string_view rest = line;
        std::string_view major = next_token(rest);
        std::string_view minor = next_token(rest);
        if (!parse_u64(major, dev.major) || !parse_u64(minor, dev.minor)) {
            out.resize(used - 1);
            return ParseStatus::failure(line_error(
                lines.number(), "bad device number " + excerpt(major) + " " + excerpt(minor)));
        }
        dev.name.assign(next_token(rest));
        dev.v.fill(0);
        for (std::size_t f = 0; f < DiskDevice::count; ++f) {
            std::string_view tok = next_token(rest);
            if (tok.empty()) break;
            if (!parse_u64(tok, dev.v[f])) {
                out.resize(used - 1);
                return ParseStatus::failure(line_error(
                    lines.number(),
                    "non-numeric counter " + excerpt(tok) + " for " + excerpt(dev.name)));
            }
        }
    }
    out.resize(used);
    return ParseStatus::success();
}

}  // namespace pc::procfs
