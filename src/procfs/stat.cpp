#include "pc/procfs/stat.hpp"

#include <string>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

std::uint64_t CpuJiffies::total() const {
    return v[user] + v[nice] + v[system] + v[idle] + v[iowait] + v[irq] + v[softirq] + v[steal];
}

std::size_t StatSample::online_cpus() const {
    std::size_t n = 0;
    for (bool p : present) n += p ? 1 : 0;
    return n;
}

void StatSample::clear() {
    has_total = false;
    total = {};
    cpus.clear();
    present.clear();
    has_btime = false;
    btime = 0;
    has_procs = false;
    procs_running = 0;
    procs_blocked = 0;
}

namespace {

// Kernel cap on CPU numbers we accept; protects the slot list from a corrupt "cpu4294967295".
constexpr std::uint64_t kMaxCpu = 1 << 16;

bool single_value(std::string_view rest, std::uint64_t& out) {
    return parse_u64(next_token(rest), out);
}

}  // namespace

ParseStatus parse_stat(std::string_view text, StatSample& out) {
    out.clear();
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        std::string_view rest = line;
        std::string_view label = next_token(rest);
        if (label.size() >= 3 && label.substr(0, 3) == "cpu") {
            CpuJiffies j;
            for (int f = 0; f < CpuJiffies::count; ++f) {
                std::string_view tok = next_token(rest);
                if (tok.empty()) break;
                if (!parse_u64(tok, j.v[static_cast<std::size_t>(f)])) {
                    return ParseStatus::failure(
                        line_error(lines.number(),
                                   "non-numeric value " + excerpt(tok) + " in " + excerpt(label)));
                }
            }
            if (label.size() == 3) {
                out.has_total = true;
                out.total = j;
                continue;
            }
            std::uint64_t n = 0;
            if (!parse_u64(label.substr(3), n) || n >= kMaxCpu) {
                return ParseStatus::failure(
                    line_error(lines.number(), "unexpected CPU label " + excerpt(label)));
            }
            if (out.cpus.size() <= n) {
                out.cpus.resize(n + 1);
                out.present.resize(n + 1, false);
            }
            out.cpus[n] = j;
            out.present[n] = true;
        } else if (label == "btime") {
            if (!single_value(rest, out.btime)) {
                return ParseStatus::failure(line_error(lines.number(), "bad btime"));
            }
            out.has_btime = true;
        } else if (label == "procs_running") {
            if (!single_value(rest, out.procs_running)) {
                return ParseStatus::failure(line_error(lines.number(), "bad procs_running"));
            }
            out.has_procs = true;
        } else if (label == "procs_blocked") {
            if (!single_value(rest, out.procs_blocked)) {
                return ParseStatus::failure(line_error(lines.number(), "bad procs_blocked"));
            }
        }
    }
    return ParseStatus::success();
}

}  // namespace pc::procfs
