#include "pc/collect/cgroup_stats.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>

#include "pc/collect/sampler.hpp"
#include "pc/record/go_json.hpp"

namespace pc::collect {

namespace {

// The value of the eight ASCII digits at `p`, when they are all digits (read as one word,
// the first digit in the lowest byte: little-endian only).
bool eight_digits(const char* p, std::uint64_t& out) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull;
    constexpr std::uint64_t kZeros = 0x3030303030303030ull;
    // Each byte 0x30..0x39: its high nibble is 3, and adding 6 does not carry into it.
    if ((w & kHigh) != kZeros || ((w + 0x0606060606060606ull) & kHigh) != kZeros) return false;
    std::uint64_t v = w - kZeros;
    v = v * 10 + (v >> 8);  // two digits in every other byte
    v = (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
         (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
        32;
    out = v;
    return true;
}

// The leading decimal digits of `s`, as std::from_chars reads them (0 when there are none or
// they overflow), without its cost per digit: about 20 numbers of up to 12 digits per cgroup
// and tick.
std::uint64_t to_u64(std::string_view s) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::uint64_t eight = 0;
        while (i < 16 && i + 8 <= s.size() && eight_digits(s.data() + i, eight)) {
            v = v * 100000000 + eight;
            i += 8;
        }
    }
    const std::size_t fast = std::min<std::size_t>(s.size(), 19);  // 19 digits cannot overflow
    for (; i < fast; ++i) {
        const unsigned d = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
        if (d > 9) return v;
        v = v * 10 + d;
    }
    bool overflow = false;
    for (; i < s.size(); ++i) {
        const unsigned d = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
        if (d > 9) break;
        overflow |= __builtin_mul_overflow(v, 10u, &v);
        overflow |= __builtin_add_overflow(v, d, &v);
    }
    return overflow ? 0 : v;
}

// Calls f(line) for each line, without its '\n', while f returns true.
template <class F>
void for_each_line(std::string_view text, F f) {
    while (!text.empty()) {
        const auto* nl = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
        const std::size_t n = nl ? static_cast<std::size_t>(nl - text.data()) : text.size();
        if (!f(text.substr(0, n))) return;
        text.remove_prefix(nl ? n + 1 : n);
    }
}

// Sets `field` from a line that starts with the literal `key` (with its separator, " " or
// "="); whether it does. Callers test the first byte first: most lines are none of the keys.
template <std::size_t N>
[[gnu::always_inline]] inline bool take(std::string_view line, const char (&key)[N],
                                        std::uint64_t& field) {
    if (line.size() < N - 1 || std::memcmp(line.data(), key, N - 1) != 0) return false;
    field = to_u64(line.substr(N - 1));
    return true;
}

}  // namespace

std::uint64_t parse_single_value(std::string_view text) {
    return to_u64(text);  // "max" does not parse: 0; the '\n' ends the digits
}

void parse_cpu_stat(std::string_view text, CgroupStats& out) {
    // Six keys in the first seven lines (nr_bursts and burst_usec follow): stop once all are seen.
    int found = 0;
    for_each_line(text, [&](std::string_view line) {
        bool hit = false;
        switch (line.empty() ? '\0' : line[0]) {
            case 'u':
                hit = take(line, "usage_usec ", out.cpu_usage_usec) ||
                      take(line, "user_usec ", out.cpu_user_usec);
                break;
            case 's':
                hit = take(line, "system_usec ", out.cpu_system_usec);
                break;
            case 'n':
                hit = take(line, "nr_periods ", out.cpu_periods) ||
                      take(line, "nr_throttled ", out.cpu_throttled);
                break;
            case 't':
                hit = take(line, "throttled_usec ", out.cpu_throttled_usec);
                break;
            default:
                break;
        }
        found += hit ? 1 : 0;
        return found < 6;
    });
}

void parse_cpu_max(std::string_view text, CgroupStats& out) {
    std::size_t sp = text.find(' ');
    out.cpu_quota = parse_single_value(text.substr(0, sp));
    out.cpu_period = sp == std::string_view::npos ? 0 : parse_single_value(text.substr(sp + 1));
}

void parse_memory_stat(std::string_view text, CgroupStats& out) {
    // About 50 lines; the four keys come first (slab near line 27): stop once all are seen.
    // anon, file and kernel are the first three lines of every kernel that has all three: past
    // them, one memmem finds slab's line instead of looking at the ~23 lines between.
    int found = 0;
    bool slab = false;
    std::size_t line_no = 0;
    while (!text.empty() && found < 4) {
        if (line_no == 3 && !slab) {
            constexpr std::string_view kSlabLine = "\nslab ";
            if (text.starts_with(kSlabLine.substr(1))) {
                out.memory_slab = to_u64(text.substr(kSlabLine.size() - 1));
                ++found;
                slab = true;
            } else if (const void* at =
                           ::memmem(text.data(), text.size(), kSlabLine.data(), kSlabLine.size())) {
                const auto offset =
                    static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
                out.memory_slab = to_u64(text.substr(offset + kSlabLine.size()));
                ++found;
                slab = true;
            } else {
                slab = true;  // none: the other keys may still come (older kernels' order)
            }
            if (found >= 4) break;
        }
        const auto* nl = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
        const std::size_t n = nl ? static_cast<std::size_t>(nl - text.data()) : text.size();
        const std::string_view line = text.substr(0, n);
        text.remove_prefix(nl ? n + 1 : n);
        ++line_no;
        bool hit = false;
        switch (line.empty() ? '\0' : line[0]) {
            case 'a':
                hit = take(line, "anon ", out.memory_anon);
                break;
            case 'f':
                hit = take(line, "file ", out.memory_file);
                break;
            case 'k':
                hit = take(line, "kernel ", out.memory_kernel);
                break;
            case 's':
                if (!slab) {
                    hit = take(line, "slab ", out.memory_slab);
                    slab = hit;
                }
                break;
            default:
                break;
        }
        found += hit ? 1 : 0;
    }
}

// "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device, summed. The four come
// first on every kernel: the rest of a line (discard figures) is skipped once they are read.
void parse_io_stat(std::string_view text, CgroupStats& out) {
    for_each_line(text, [&](std::string_view line) {
        int found = 0;
        std::size_t pos = line.find(' ');
        while (pos != std::string_view::npos && found < 4) {
            std::string_view field = line.substr(pos + 1);  // to the line's end: digits stop
            pos = field.find(' ');
            if (pos != std::string_view::npos) pos += line.size() - field.size();
            std::uint64_t v = 0;
            if (field.empty()) continue;
            if (field[0] == 'r') {
                if (take(field, "rbytes=", v)) {
                    out.io_read_bytes += v;
                    ++found;
                } else if (take(field, "rios=", v)) {
                    out.io_read_ops += v;
                    ++found;
                }
            } else if (field[0] == 'w') {
                if (take(field, "wbytes=", v)) {
                    out.io_write_bytes += v;
                    ++found;
                } else if (take(field, "wios=", v)) {
                    out.io_write_ops += v;
                    ++found;
                }
            }
        }
        return true;
    });
}

void parse_cgroup_file(std::size_t index, std::string_view text, CgroupStats& s) {
    switch (index) {
        case 0:
            parse_cpu_stat(text, s);
            break;
        case 1:
            parse_cpu_max(text, s);
            break;
        case 2:
            s.memory_current = parse_single_value(text);
            break;
        case 3:
            s.memory_max = parse_single_value(text);
            break;
        case 4:
            parse_memory_stat(text, s);
            break;
        case 5:
            parse_io_stat(text, s);
            break;
        case 6:
            s.pids_current = parse_single_value(text);
            break;
        case 7:
            s.pids_max = parse_single_value(text);
            break;
        default:
            break;
    }
}

bool cgroup_exists(const char* dir) {
    struct stat st {};
    return ::stat(dir, &st) == 0;
}

namespace {

// Reads <dir>/<name> into a fixed buffer: no allocation and no std::filesystem per file, as
// this runs eight times per container and tick. The keys pcc needs are within the first 16 KiB
// of every file (memory.stat's "slab" is about line 27).
class BufferReader {
public:
    explicit BufferReader(std::string_view dir) : path_(dir) {
        path_ += '/';
        dir_len_ = path_.size();
    }
    std::optional<std::string_view> operator()(std::size_t index) {
        path_.resize(dir_len_);
        path_ += kCgroupFiles[index];
        int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return std::nullopt;
        std::size_t n = 0;
        while (n < sizeof buffer_) {
            ssize_t got = ::read(fd, buffer_ + n, sizeof buffer_ - n);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                if (got < 0) n = 0;
                break;
            }
            n += static_cast<std::size_t>(got);
        }
        ::close(fd);
        return std::string_view(buffer_, n);
    }

private:
    std::string path_;
    std::size_t dir_len_ = 0;
    char buffer_[16384];
};

}  // namespace

std::optional<CgroupStats> read_cgroup_stats(std::string_view dir) {
    BufferReader reader(dir);
    std::string d(dir);
    return read_cgroup_files(d.c_str(), reader);
}

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir) {
    return read_cgroup_stats(std::string_view(dir.native()));
}

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir,
                                             const CgroupFileReader& read_file) {
    std::string held;
    return read_cgroup_files(dir.c_str(), [&](std::size_t i) -> std::optional<std::string_view> {
        auto t = read_file(dir / kCgroupFiles[i]);
        if (!t) return std::nullopt;
        held = std::move(*t);
        return std::string_view(held);
    });
}

namespace {

// Ids, runtimes and unit names are plain ASCII almost always: copied as they are when no byte
// needs Go's escaping, else escaped.
void append_string(std::string& out, std::string_view v) {
    for (char c : v) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
            record::append_go_json_string(out, v);
            return;
        }
    }
    out += '"';
    out.append(v.data(), v.size());
    out += '"';
}

// The eight decimal digits of `v` < 10^8 (with leading zeros), one per byte, the first digit
// in the lowest byte (little-endian: as they lie in memory): the 4-4, then 2-2, then 1-1 splits
// done in every lane of one word at once, divisions by 100 and 10 as exact multiply-shifts for
// these ranges (val < 10^4: val * 10486 >> 20 == val / 100; val < 100: val * 103 >> 10 == val /
// 10).
std::uint64_t eight_digit_bytes(std::uint64_t v) {
    std::uint64_t x = (v / 10000) | ((v % 10000) << 32);
    const std::uint64_t hundreds = ((x * 10486) >> 20) & 0x0000007F0000007Full;
    x = hundreds | ((x - hundreds * 100) << 16);
    const std::uint64_t tens = ((x * 103) >> 10) & 0x000F000F000F000Full;
    return tens | ((x - tens * 10) << 8);
}

// Writes `v` in decimal so that it ends just before `end`; returns its start. Eight digits a
// step from the last; the first step may write up to 8 bytes before the start it returns (its
// leading zeros): callers keep room there. About a third of the cost of std::to_chars here.
char* write_decimal_before(char* end, std::uint64_t v) {
    char* p = end;
    if constexpr (std::endian::native != std::endian::little) {
        do {
            *--p = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return p;
    }
    while (v >= 100000000) {
        const std::uint64_t bytes = eight_digit_bytes(v % 100000000) | 0x3030303030303030ull;
        p -= 8;
        std::memcpy(p, &bytes, 8);
        v /= 100000000;
    }
    if (v < 10) {
        *--p = static_cast<char>('0' + v);
        return p;
    }
    const std::uint64_t digits = eight_digit_bytes(v);
    const std::uint64_t bytes = digits | 0x3030303030303030ull;
    std::memcpy(p - 8, &bytes, 8);
    // Leading zero digits are the low zero bytes.
    return p - 8 + (std::countr_zero(digits) >> 3);
}

// The object's pieces, plain ({"key":...}) or as they read inside a JSON string
// ({\"key\":...}), the 20 number keys in the original's (alphabetical) order.
// A key right-aligned in 32 bytes, to be copied whole.
struct Key32 {
    std::array<char, 32> bytes{};
    std::size_t size = 0;
    template <std::size_t N>
    constexpr Key32(const char (&key)[N]) : size(N - 1) {  // NOLINT: implicit from a literal
        static_assert(N - 1 <= 32);
        for (std::size_t j = 0; j < N - 1; ++j) bytes[32 - (N - 1) + j] = key[j];
    }
};

struct Form {
    std::string_view open, name_key, runtime_key, close;
    Key32 keys[20];
    void (*append_string)(std::string&, std::string_view);
};

constexpr Form kPlain{"{\"container_id\":",
                      ",\"container_name\":",
                      ",\"runtime\":",
                      "}",
                      {",\"cpu_period\":",      ",\"cpu_periods\":",    ",\"cpu_quota\":",
                       ",\"cpu_system_usec\":", ",\"cpu_throttled\":",  ",\"cpu_throttled_usec\":",
                       ",\"cpu_usage_usec\":",  ",\"cpu_user_usec\":",  ",\"io_read_bytes\":",
                       ",\"io_read_ops\":",     ",\"io_write_bytes\":", ",\"io_write_ops\":",
                       ",\"memory_anon\":",     ",\"memory_current\":", ",\"memory_file\":",
                       ",\"memory_kernel\":",   ",\"memory_max\":",     ",\"memory_slab\":",
                       ",\"pids_current\":",    ",\"pids_max\":"},
                      append_string};

constexpr Form kNested{
    "\"{\\\"container_id\\\":",
    ",\\\"container_name\\\":",
    ",\\\"runtime\\\":",
    "}\"",
    {",\\\"cpu_period\\\":",      ",\\\"cpu_periods\\\":",    ",\\\"cpu_quota\\\":",
     ",\\\"cpu_system_usec\\\":", ",\\\"cpu_throttled\\\":",  ",\\\"cpu_throttled_usec\\\":",
     ",\\\"cpu_usage_usec\\\":",  ",\\\"cpu_user_usec\\\":",  ",\\\"io_read_bytes\\\":",
     ",\\\"io_read_ops\\\":",     ",\\\"io_write_bytes\\\":", ",\\\"io_write_ops\\\":",
     ",\\\"memory_anon\\\":",     ",\\\"memory_current\\\":", ",\\\"memory_file\\\":",
     ",\\\"memory_kernel\\\":",   ",\\\"memory_max\\\":",     ",\\\"memory_slab\\\":",
     ",\\\"pids_current\\\":",    ",\\\"pids_max\\\":"},
    record::append_go_json_string_nested};

// Appends the keys and numbers, from the first number key to the last number.
void append_numbers(const Form& f, std::string& out, const CgroupStats& s) {
    const std::uint64_t values[] = {
        s.cpu_period,         s.cpu_periods,    s.cpu_quota,     s.cpu_system_usec, s.cpu_throttled,
        s.cpu_throttled_usec, s.cpu_usage_usec, s.cpu_user_usec, s.io_read_bytes,   s.io_read_ops,
        s.io_write_bytes,     s.io_write_ops,   s.memory_anon,   s.memory_current,  s.memory_file,
        s.memory_kernel,      s.memory_max,     s.memory_slab,   s.pids_current,    s.pids_max};
    // The keys and numbers into one buffer, from the last, appended at once: 40 appends cost
    // more than the formatting itself. Each key is copied as the 32 bytes that end with it
    // (one fixed-size copy; what lies before it is overwritten next). Keys <= 24 bytes,
    // numbers <= 20 digits, and 32 bytes of room before the first key.
    char buf[32 + 20 * (24 + 20)];
    char* const end = buf + sizeof buf;
    char* p = end;
    for (std::size_t i = 20; i-- > 0;) {
        p = write_decimal_before(p, values[i]);
        std::memcpy(p - 32, f.keys[i].bytes.data(), 32);
        p -= f.keys[i].size;
    }
    out.append(p, static_cast<std::size_t>(end - p));
}

void append_head(const Form& f, std::string& out, std::string_view id, std::string_view name) {
    out += f.open;
    f.append_string(out, id);
    out += f.name_key;
    f.append_string(out, name);
}

void append_tail(const Form& f, std::string& out, std::string_view runtime) {
    out += f.runtime_key;
    f.append_string(out, runtime);
    out += f.close;
}

void append_measurement(const Form& f, std::string& out, std::string_view id, std::string_view name,
                        std::string_view runtime, const CgroupStats& s) {
    out.reserve(out.size() + 720 + 2 * (id.size() + name.size() + runtime.size()));
    append_head(f, out, id, name);
    append_numbers(f, out, s);
    append_tail(f, out, runtime);
}

}  // namespace

void append_cgroup_measurement(std::string& out, std::string_view id, std::string_view name,
                               std::string_view runtime, const CgroupStats& s) {
    append_measurement(kPlain, out, id, name, runtime, s);
}

void append_cgroup_measurement_json(std::string& out, std::string_view id, std::string_view name,
                                    std::string_view runtime, const CgroupStats& s) {
    append_measurement(kNested, out, id, name, runtime, s);
}

CgroupMeasurementFrame make_cgroup_measurement_frame(std::string_view id, std::string_view name,
                                                     std::string_view runtime) {
    CgroupMeasurementFrame frame;
    append_head(kNested, frame.head, id, name);
    append_tail(kNested, frame.tail, runtime);
    return frame;
}

void append_cgroup_measurement_json(std::string& out, const CgroupMeasurementFrame& frame,
                                    const CgroupStats& s) {
    out.reserve(out.size() + 720 + frame.head.size() + frame.tail.size());
    out += frame.head;
    append_numbers(kNested, out, s);
    out += frame.tail;
}

}  // namespace pc::collect
