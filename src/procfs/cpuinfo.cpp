#include "pc/procfs/cpuinfo.hpp"

#include <charconv>
#include <set>

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

// s390's "processor 0: version = FF, ..." lines: one per CPU, keyed "processor <n>".
bool is_numbered_processor(std::string_view key) {
    constexpr std::string_view prefix = "processor ";
    if (!key.starts_with(prefix) || key.size() == prefix.size()) return false;
    for (char c : key.substr(prefix.size())) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

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
    std::int64_t numbered = 0;        // s390 "processor <n>:" lines
    std::int64_t s390_count = 0;      // s390 "# processors : N"
    bool arm_processor_name = false;  // old ARM kernels: "Processor : ARMv6-compatible ..."
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
        if (is_numbered_processor(key)) {
            ++numbered;
            continue;
        }
        if (key == "# processors") {
            parse_i64(value, s390_count);
            continue;
        }
        if (key == "Processor") arm_processor_name = true;
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
    // Architectures without "processor : N" blocks: s390 lists "processor <n>:" lines (and the
    // count), a single-CPU ARMv6 kernel prints one block named by "Processor : <model>".
    if (out.total_cpus == 0) out.total_cpus = numbered;
    if (out.total_cpus == 0) out.total_cpus = s390_count;
    if (out.total_cpus == 0 && arm_processor_name) out.total_cpus = 1;
    out.physical_cpus = static_cast<std::int64_t>(physical_ids.size());
    return ParseStatus::success();
}

}  // namespace pc::procfs
