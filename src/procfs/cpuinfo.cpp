#include "pc/procfs/cpuinfo.hpp"

#include <charconv>
#include <set>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

bool parse_i64(std::string_view tok, std::int64_t& out) {
    if (tok.empty()) return false;
    auto res = std::from_chars(tok.data(), tok.data() + tok.size(), out);
    return res.ec == std::errc() && res.ptr == tok.data() + tok.size();
}

}  // namespace

ParseStatus parse_cpuinfo(std::string_view text, CpuInfoSummary& out) {
    out = CpuInfoSummary{};
    std::set<std::string, std::less<>> physical_ids;
    bool in_first_block = true;
    bool seen_processor = false;
    LineCursor lines(text);
    std::string_view line;
    while (lines.next(line)) {
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // blank separator lines
        std::string_view key = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (key == "processor") {
            if (seen_processor) in_first_block = false;
            seen_processor = true;
            ++out.total_cpus;
            continue;
        }
        if (key == "physical id") {
            physical_ids.emplace(value);
            continue;
        }
        if (!in_first_block) continue;
        auto bad = [&](std::string_view what) {
            return ParseStatus::failure(line_error(
                lines.number(), "bad " + std::string(what) + " value " + excerpt(value)));
        };
        if (key == "vendor_id") {
            out.vendor_id.assign(value);
        } else if (key == "model name") {
            out.model_name.assign(value);
        } else if (key == "cpu cores") {
            if (!parse_i64(value, out.cpu_cores)) return bad("cpu cores");
        } else if (key == "siblings") {
            if (!parse_i64(value, out.siblings)) return bad("siblings");
        } else if (key == "cpu MHz") {
            if (!parse_double(value, out.cpu_mhz)) return bad("cpu MHz");
        } else if (key == "cache size") {
            out.cache_size.assign(value);
        } else if (key == "bogomips" || key == "BogoMIPS") {
            if (!parse_double(value, out.bogomips)) return bad("bogomips");
        } else if (key == "flags" || key == "Features") {
            out.flags.assign(value);
        }
    }
    out.physical_cpus = static_cast<std::int64_t>(physical_ids.size());
    return ParseStatus::success();
}

}  // namespace pc::procfs
