#include "pc/collect/cgroup_stats.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>

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

void append_key(std::string& out, std::string_view key, std::uint64_t v) {
    out += ",\"";
    out += key;
    out += "\":";
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    out.append(buf, end);
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
    for_each_pair(text, [&](std::string_view k, std::string_view v) {
        if (k == "anon")
            out.memory_anon = to_u64(v);
        else if (k == "file")
            out.memory_file = to_u64(v);
        else if (k == "kernel")
            out.memory_kernel = to_u64(v);
        else if (k == "slab")
            out.memory_slab = to_u64(v);
    });
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

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir) {
    return read_cgroup_stats(dir, [](const std::filesystem::path& file) {
        int error = 0;
        return read_source_file(file, error);
    });
}

std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir,
                                             const CgroupFileReader& read_file) {
    CgroupStats s;
    auto text = read_file(dir / "cpu.stat");
    if (!text) return std::nullopt;
    parse_cpu_stat(*text, s);
    bool missing = false;
    auto read = [&](const char* name, auto parse) {
        auto t = read_file(dir / name);
        if (t) {
            parse(*t);
        } else {
            missing = true;
        }
    };
    read("cpu.max", [&](std::string_view t) { parse_cpu_max(t, s); });
    read("memory.current", [&](std::string_view t) { s.memory_current = parse_single_value(t); });
    read("memory.max", [&](std::string_view t) { s.memory_max = parse_single_value(t); });
    read("memory.stat", [&](std::string_view t) { parse_memory_stat(t, s); });
    read("io.stat", [&](std::string_view t) { parse_io_stat(t, s); });
    read("pids.current", [&](std::string_view t) { s.pids_current = parse_single_value(t); });
    read("pids.max", [&](std::string_view t) { s.pids_max = parse_single_value(t); });
    // A file missing because its controller is off is normal; the directory itself gone means
    // the container stopped during the reads, and its half-read sample is dropped.
    if (missing) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0) return std::nullopt;
    }
    return s;
}

void append_cgroup_measurement(std::string& out, std::string_view id, std::string_view name,
                               std::string_view runtime, const CgroupStats& s) {
    out += "{\"container_id\":";
    record::append_go_json_string(out, id);
    out += ",\"container_name\":";
    record::append_go_json_string(out, name);
    append_key(out, "cpu_period", s.cpu_period);
    append_key(out, "cpu_periods", s.cpu_periods);
    append_key(out, "cpu_quota", s.cpu_quota);
    append_key(out, "cpu_system_usec", s.cpu_system_usec);
    append_key(out, "cpu_throttled", s.cpu_throttled);
    append_key(out, "cpu_throttled_usec", s.cpu_throttled_usec);
    append_key(out, "cpu_usage_usec", s.cpu_usage_usec);
    append_key(out, "cpu_user_usec", s.cpu_user_usec);
    append_key(out, "io_read_bytes", s.io_read_bytes);
    append_key(out, "io_read_ops", s.io_read_ops);
    append_key(out, "io_write_bytes", s.io_write_bytes);
    append_key(out, "io_write_ops", s.io_write_ops);
    append_key(out, "memory_anon", s.memory_anon);
    append_key(out, "memory_current", s.memory_current);
    append_key(out, "memory_file", s.memory_file);
    append_key(out, "memory_kernel", s.memory_kernel);
    append_key(out, "memory_max", s.memory_max);
    append_key(out, "memory_slab", s.memory_slab);
    append_key(out, "pids_current", s.pids_current);
    append_key(out, "pids_max", s.pids_max);
    out += ",\"runtime\":";
    record::append_go_json_string(out, runtime);
    out += '}';
}

}  // namespace pc::collect
