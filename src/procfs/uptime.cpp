#include "pc/procfs/uptime.hpp"

#include <limits>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

ParseStatus parse_uptime(std::string_view text, Uptime& out) {
    std::string_view rest = text;
    std::string_view tok = next_token(rest);
    auto bad = [&] { return ParseStatus::failure(line_error(1, "bad uptime " + excerpt(tok))); };
    std::size_t dot = tok.find('.');
    std::uint64_t whole = 0;
    if (!parse_u64(tok.substr(0, dot), whole)) return bad();
    std::uint64_t centis = 0;
    if (dot != std::string_view::npos) {
        std::string_view frac = tok.substr(dot + 1);
        if (frac.empty() || frac.size() > 2 || !parse_u64(frac, centis)) return bad();
        if (frac.size() == 1) centis *= 10;
    }
    if (whole > (std::numeric_limits<std::uint64_t>::max() - centis) / 100) return bad();
    out.uptime_cs = whole * 100 + centis;
    return ParseStatus::success();
}

}  // namespace pc::procfs
