#include "pc/procfs/net_dev.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

ParseStatus parse_net_dev(std::string_view text, std::vector<NetDevice>& out,
                          std::uint64_t* skipped_lines) {
    std::size_t used = 0;
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        if (lines.number() <= 2) continue;  // "Inter-|   Receive ..." and " face |bytes ..."
        if (trim(line).empty()) continue;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            if (skipped_lines) {
                ++*skipped_lines;
                continue;
            }
            out.resize(used);
            return ParseStatus::failure(
                line_error(lines.number(), "no ':' after the interface name"));
        }
        if (used == out.size()) out.emplace_back();
        NetDevice& dev = out[used++];
        dev.name.assign(trim(line.substr(0, colon)));
        dev.v.fill(0);
        std::string_view rest = line.substr(colon + 1);
        for (std::size_t f = 0; f < NetDevice::count; ++f) {
            std::string_view tok = next_token(rest);
            if (tok.empty()) break;
            if (!parse_u64(tok, dev.v[f])) {
                if (skipped_lines) {
                    ++*skipped_lines;
                    --used;  // this line's slot is reused by the next interface
                    break;
                }
                out.resize(used);
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
