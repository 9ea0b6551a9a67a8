#include "pc/procfs/vmstat.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

// Where a counter goes, and whether it adds up (per-zone families) or is taken as is.
std::uint64_t* target_for(std::string_view key, VmStat& m) {
    if (!starts_with(key, "pg")) return nullptr;
    if (key == "pgpgin") return &m.pgpgin;
    if (key == "pgpgout") return &m.pgpgout;
    if (key == "pgfault") return &m.pgfault;
    if (key == "pgmajfault") return &m.pgmajfault;
    if (key == "pgfree") return &m.pgfree;
    if (starts_with(key, "pgscan_kswapd")) return &m.pgscan_kswapd;
    if (starts_with(key, "pgscan_direct") && key != "pgscan_direct_throttle")
        return &m.pgscan_direct;
    if (starts_with(key, "pgsteal_kswapd") || starts_with(key, "pgsteal_direct")) return &m.pgsteal;
    return nullptr;
}

}  // namespace

ParseStatus parse_vmstat(std::string_view text, VmStat& out) {
    out = VmStat{};
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        std::string_view rest = line;
        std::string_view key = next_token(rest);
        std::uint64_t* target = target_for(key, out);
        if (!target) continue;
        std::string_view tok = next_token(rest);
        std::uint64_t value = 0;
        if (!parse_u64(tok, value)) {
            return ParseStatus::failure(line_error(
                lines.number(), "non-numeric value " + excerpt(tok) + " for " + excerpt(key)));
        }
        *target += value;
    }
    return ParseStatus::success();
}

}  // namespace pc::procfs
