#include "pc/procfs/diskstats.hpp"

#include "text_scan.hpp"

namespace pc::procfs {

using namespace detail;

namespace {

constexpr std::size_t kMinFields = 14;
constexpr std::size_t kMaxFields = 3 + DiskDevice::count;

// One pass over a well-formed line: up to kMaxFields fields, all decimal but the name (field
// 2), each scanned once. False when the line is anything else (a stray byte, an overflow): the
// tokenizing path below then decides, with its error message.
bool scan_line(std::string_view line, std::uint64_t (&values)[kMaxFields], std::string_view& name,
               std::size_t& fields) {
    const char* p = line.data();
    const char* const end = p + line.size();
    std::size_t n = 0;
    while (n < kMaxFields) {
        while (p < end && is_space(*p)) ++p;
        if (p == end) break;
        const char* start = p;
        if (n == 2) {
            while (p < end && !is_space(*p)) ++p;
            name = std::string_view(start, static_cast<std::size_t>(p - start));
            ++n;
            continue;
        }
        std::uint64_t v = 0;
        for (; p < end; ++p) {
            const unsigned digit = static_cast<unsigned char>(*p) - static_cast<unsigned>('0');
            if (digit > 9) break;
            v = v * 10 + digit;
        }
        // Up to 19 digits cannot overflow 64 bits; longer ones go the checked way.
        if (p - start > 19 || (p < end && !is_space(*p))) return false;
        values[n++] = v;
    }
    fields = n;
    return true;
}

// The general path: tokens first, then each checked, with a message naming the bad one.
ParseStatus parse_tokenized(std::string_view line, std::size_t line_number, DiskDevice& dev,
                            bool& kept) {
    std::string_view tok[kMaxFields];
    std::size_t n = 0;
    std::string_view rest = line;
    // Extra fields are ignored, as sar does.
    while (n < kMaxFields && !(tok[n] = next_token(rest)).empty()) ++n;
    kept = n >= kMinFields;
    if (!kept) return ParseStatus::success();
    if (!parse_u64(tok[0], dev.major) || !parse_u64(tok[1], dev.minor)) {
        return ParseStatus::failure(line_error(
            line_number, "bad device number " + excerpt(tok[0]) + " " + excerpt(tok[1])));
    }
    dev.name.assign(tok[2]);
    dev.v.fill(0);
    for (std::size_t f = 3; f < n; ++f) {
        if (!parse_u64(tok[f], dev.v[f - 3])) {
            return ParseStatus::failure(line_error(
                line_number, "non-numeric counter " + excerpt(tok[f]) + " for " + excerpt(tok[2])));
        }
    }
    return ParseStatus::success();
}

}  // namespace

ParseStatus parse_diskstats(std::string_view text, std::vector<DiskDevice>& out) {
    std::size_t used = 0;
    LineCursor lines(text);
    std::string_view line;
    std::uint64_t values[kMaxFields];
    while (lines.next(line)) {
        std::string_view name;
        std::size_t n = 0;
        const bool scanned = scan_line(line, values, name, n);
        if (scanned && n < kMinFields) continue;
        if (used == out.size()) out.emplace_back();
        DiskDevice& dev = out[used];
        if (scanned) {
            dev.major = values[0];
            dev.minor = values[1];
            dev.name.assign(name);
            std::size_t f = 3;
            for (; f < n; ++f) dev.v[f - 3] = values[f];
            for (; f < kMaxFields; ++f) dev.v[f - 3] = 0;
            ++used;
            continue;
        }
        bool kept = false;
        if (auto st = parse_tokenized(line, lines.number(), dev, kept); !st) {
            out.resize(used);
            return st;
        }
        if (kept) ++used;
    }
    out.resize(used);
    return ParseStatus::success();
}

}  // namespace pc::procfs
