#include "pc/collect/cgroup_stats.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "pc/collect/sampler.hpp"
#include "pc/record/go_json.hpp"

namespace pc::collect {

namespace {

std::uint64_t to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    (void)end;
    return ec == std::errc() ? v : 0;
}

// Calls f(key, value) for each "key value" line.
template <class F>
void for_each_pair(std::string_view text, F f) {
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        std::size_t sp = line.find(' ');
        if (sp != std::string_view::npos) f(line.substr(0, sp), line.substr(sp + 1));
    }
}

}  // namespace

std::uint64_t parse_single_value(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    return to_u64(text);  // "max" does not parse: 0
}

void parse_cpu_stat(std::string_view text, CgroupStats& out) {
    for_each_pair(text, [&](std::string_view k, std::string_view v) {
        if (k == "usage_usec")
            out.cpu_usage_usec = to_u64(v);
        else if (k == "user_usec")
            out.cpu_user_usec = to_u64(v);
        else if (k == "system_usec")
            out.cpu_system_usec = to_u64(v);
        else if (k == "nr_periods")
            out.cpu_periods = to_u64(v);
        else if (k == "nr_throttled")
            out.cpu_throttled = to_u64(v);
        else if (k == "throttled_usec")
            out.cpu_throttled_usec = to_u64(v);
    });
}

void parse_cpu_max(std::string_view text, CgroupStats& out) {
    std::size_t sp = text.find(' ');
    out.cpu_quota = parse_single_value(text.substr(0, sp));
    out.cpu_period = sp == std::string_view::npos ? 0 : parse_single_value(text.substr(sp + 1));
}

void parse_memory_stat(std::string_view text, CgroupStats& out) {
    // About 50 lines; the four keys come first (slab near line 27): stop once all are seen.
    int found = 0;
    while (!text.empty() && found < 4) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        std::size_t sp = line.find(' ');
        if (sp == std::string_view::npos) continue;
        std::string_view k = line.substr(0, sp);
        std::uint64_t* field = k == "anon"     ? &out.memory_anon
                               : k == "file"   ? &out.memory_file
                               : k == "kernel" ? &out.memory_kernel
                               : k == "slab"   ? &out.memory_slab
                                               : nullptr;
        if (field) {
            *field = to_u64(line.substr(sp + 1));
            ++found;
        }
    }
}

// "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.
void parse_io_stat(std::string_view text, CgroupStats& out) {
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        std::size_t pos = line.find(' ');
        while (pos != std::string_view::npos) {
            std::size_t start = pos + 1;
            pos = line.find(' ', start);
            std::string_view field = line.substr(start, pos - start);
            std::size_t eq = field.find('=');
            if (eq == std::string_view::npos) continue;
            std::string_view k = field.substr(0, eq);
            std::uint64_t v = to_u64(field.substr(eq + 1));
            if (k == "rbytes")
                out.io_read_bytes += v;
            else if (k == "wbytes")
                out.io_write_bytes += v;
            else if (k == "rios")
                out.io_read_ops += v;
            else if (k == "wios")
                out.io_write_ops += v;
        }
    }
}

namespace {

// The common part of both readers: `read(name)` gives a file's text, or nullopt.
template <class Read>
std::optional<CgroupStats> read_stats(const char* dir, Read&& read) {
    CgroupStats s;
    auto text = read("cpu.stat");
    if (!text) return std::nullopt;
    parse_cpu_stat(*text, s);
    bool missing = false;
    auto each = [&](const char* name, auto parse) {
        if (auto t = read(name)) {
            parse(*t);
        } else {
            missing = true;
        }
    };
    each("cpu.max", [&](std::string_view t) { parse_cpu_max(t, s); });
    each("memory.current", [&](std::string_view t) { s.memory_current = parse_single_value(t); });
    each("memory.max", [&](std::string_view t) { s.memory_max = parse_single_value(t); });
    each("memory.stat", [&](std::string_view t) { parse_memory_stat(t, s); });
    each("io.stat", [&](std::string_view t) { parse_io_stat(t, s); });
    each("pids.current", [&](std::string_view t) { s.pids_current = parse_single_value(t); });
    each("pids.max", [&](std::string_view t) { s.pids_max = parse_single_value(t); });
    // A file missing because its controller is off is normal; the directory itself gone means
    // the container stopped during the reads, and its half-read sample is dropped.
    if (missing) {
        struct stat st {};
        if (::stat(dir, &st) != 0) return std::nullopt;
    }
    return s;
}

// Reads <dir>/<name> into a fixed buffer: no allocation and no std::filesystem per file, as
// this runs eight times per container and tick. The keys pcc needs are within the first 16 KiB
// of every file (memory.stat's "slab" is about line 27).
class BufferReader {
public:
    explicit BufferReader(std::string_view dir) : path_(dir) {
        path_ += '/';
        dir_len_ = path_.size();
    }
    std::optional<std::string_view> operator()(const char* name) {
        path_.resize(dir_len_);
        path_ += name;
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
    return read_stats(d.c_str(), reader);
}

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir) {
    return read_cgroup_stats(std::string_view(dir.native()));
}

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir,
                                             const CgroupFileReader& read_file) {
    std::string held;
    return read_stats(dir.c_str(), [&](const char* name) -> std::optional<std::string_view> {
        auto t = read_file(dir / name);
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

// The object's pieces, plain ({"key":...}) or as they read inside a JSON string
// ({\"key\":...}), the 20 number keys in the original's (alphabetical) order.
struct Form {
    std::string_view open, name_key, runtime_key, close;
    std::string_view keys[20];
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

void append_measurement(const Form& f, std::string& out, std::string_view id, std::string_view name,
                        std::string_view runtime, const CgroupStats& s) {
    const std::uint64_t values[] = {
        s.cpu_period,         s.cpu_periods,    s.cpu_quota,     s.cpu_system_usec, s.cpu_throttled,
        s.cpu_throttled_usec, s.cpu_usage_usec, s.cpu_user_usec, s.io_read_bytes,   s.io_read_ops,
        s.io_write_bytes,     s.io_write_ops,   s.memory_anon,   s.memory_current,  s.memory_file,
        s.memory_kernel,      s.memory_max,     s.memory_slab,   s.pids_current,    s.pids_max};
    out.reserve(out.size() + 720 + 2 * (id.size() + name.size() + runtime.size()));
    out += f.open;
    f.append_string(out, id);
    out += f.name_key;
    f.append_string(out, name);
    // The keys and numbers into one buffer, appended at once: 40 appends cost more than the
    // formatting itself. Keys <= 26 bytes, numbers <= 20 digits.
    char buf[20 * (26 + 20)];
    char* p = buf;
    for (std::size_t i = 0; i < 20; ++i) {
        std::memcpy(p, f.keys[i].data(), f.keys[i].size());
        p += f.keys[i].size();
        p = std::to_chars(p, buf + sizeof buf, values[i]).ptr;
    }
    out.append(buf, static_cast<std::size_t>(p - buf));
    out += f.runtime_key;
    f.append_string(out, runtime);
    out += f.close;
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

}  // namespace pc::collect
