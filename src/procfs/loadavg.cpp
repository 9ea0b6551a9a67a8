#include "pc/procfs/loadavg.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

ParseStatus parse_loadavg(std::string_view text, LoadAvg& out) {
    out = LoadAvg{};
    std::string_view rest = text;
    std::string_view l1 = next_token(rest);
    std::string_view l5 = next_token(rest);
    std::string_view l15 = next_token(rest);
    if (!parse_double(l1, out.load1) || !parse_double(l5, out.load5) ||
        !parse_double(l15, out.load15)) {
        return ParseStatus::failure(
            line_error(1, "expected three load averages, got " + excerpt(text)));
    }
    std::string_view procs = next_token(rest);
    std::size_t slash = procs.find('/');
    if (slash == std::string_view::npos || !parse_u64(procs.substr(0, slash), out.runnable) ||
        !parse_u64(procs.substr(slash + 1), out.entities)) {
        return ParseStatus::failure(
            line_error(1, "expected runnable/total as the 4th field, got " + excerpt(procs)));
    }
    std::string_view pid = next_token(rest);
    if (!pid.empty() && !parse_u64(pid, out.last_pid)) {
        return ParseStatus::failure(line_error(1, "bad last pid " + excerpt(pid)));
    }
    return ParseStatus::success();
}

}  // namespace pc::procfs
