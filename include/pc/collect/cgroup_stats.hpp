// One cgroup v2 directory's counters, and the measurement the original container collector
// writes for them (a JSON object in alphabetical key order, no trailing newline).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pc::collect {

// Every value is the kernel's; an unlimited "max" and a file that is missing (controller not
// enabled) read as 0.
struct CgroupStats {
    std::uint64_t cpu_usage_usec = 0;  // cpu.stat
    std::uint64_t cpu_user_usec = 0;
    std::uint64_t cpu_system_usec = 0;
    std::uint64_t cpu_periods = 0;    // nr_periods
    std::uint64_t cpu_throttled = 0;  // nr_throttled
    std::uint64_t cpu_throttled_usec = 0;
    std::uint64_t cpu_quota = 0;   // cpu.max, first field
    std::uint64_t cpu_period = 0;  // cpu.max, second field
    std::uint64_t memory_current = 0;
    std::uint64_t memory_max = 0;
    std::uint64_t memory_anon = 0;  // memory.stat
    std::uint64_t memory_file = 0;
    std::uint64_t memory_kernel = 0;
    std::uint64_t memory_slab = 0;
    std::uint64_t io_read_bytes = 0;  // io.stat, summed over devices
    std::uint64_t io_write_bytes = 0;
    std::uint64_t io_read_ops = 0;
    std::uint64_t io_write_ops = 0;
    std::uint64_t pids_current = 0;
    std::uint64_t pids_max = 0;
};

// The files read, in this order; cpu.stat, in every cgroup v2 directory, first.
inline constexpr std::array<const char*, 8> kCgroupFiles = {
    "cpu.stat",    "cpu.max", "memory.current", "memory.max",
    "memory.stat", "io.stat", "pids.current",   "pids.max"};

// Parses the text of kCgroupFiles[index] into `out`.
void parse_cgroup_file(std::size_t index, std::string_view text, CgroupStats& out);

// Whether the directory `dir` still exists.
bool cgroup_exists(const char* dir);

// The rules of every reader: `read(index)` gives the text of kCgroupFiles[index], or nullopt
// when it cannot be read. nullopt when the cgroup is gone.
template <class Read>
std::optional<CgroupStats> read_cgroup_files(const char* dir, Read&& read) {
    CgroupStats s;
    bool missing = false;
    for (std::size_t i = 0; i < kCgroupFiles.size(); ++i) {
        if (auto text = read(i)) {
            parse_cgroup_file(i, *text, s);
        } else if (i == 0) {
            return std::nullopt;
        } else {
            missing = true;
        }
    }
    // A file missing because its controller is off is normal; the directory itself gone means
    // the container stopped during the reads, and its half-read sample is dropped.
    if (missing && !cgroup_exists(dir)) return std::nullopt;
    return s;
}

// Reads `dir`'s files. nullopt when the cgroup is gone: cpu.stat (present in every cgroup v2
// directory) cannot be read, or the directory vanished while its files were read.
std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir);
std::optional<CgroupStats> read_cgroup_stats(std::string_view dir);

// The same with the file reads done by `read` (nullopt: unreadable), for tests that make a
// cgroup vanish in the middle.
using CgroupFileReader =
    std::function<std::optional<std::string>(const std::filesystem::path& file)>;
std::optional<CgroupStats> read_cgroup_stats(const std::filesystem::path& dir,
                                             const CgroupFileReader& read);

// Parsers of the files' text, exposed for tests.
void parse_cpu_stat(std::string_view text, CgroupStats& out);
void parse_cpu_max(std::string_view text, CgroupStats& out);
void parse_memory_stat(std::string_view text, CgroupStats& out);
void parse_io_stat(std::string_view text, CgroupStats& out);
// A single value: a number, or "max" (unlimited) as 0.
std::uint64_t parse_single_value(std::string_view text);

// {"container_id":...,"container_name":...,"cpu_period":...,...,"runtime":...}: the 23 keys of
// the original, alphabetical, strings escaped as Go's encoder does.
void append_cgroup_measurement(std::string& out, std::string_view id, std::string_view name,
                               std::string_view runtime, const CgroupStats& stats);
// The same measurement as the quoted JSON string a record line carries it in (what
// record::append_go_json_string writes for it), for a record::Record with measurement_is_json.
void append_cgroup_measurement_json(std::string& out, std::string_view id, std::string_view name,
                                    std::string_view runtime, const CgroupStats& stats);

// What a cgroup's record repeats every tick, written (and escaped) once while it lives: the
// measurement's text before and after its 20 numbers, in the form of
// append_cgroup_measurement_json.
struct CgroupMeasurementFrame {
    std::string head;  // "{\"container_id\":\"<id>\",\"container_name\":\"<name>\"
    std::string tail;  // ,\"runtime\":\"<runtime>\"}"
};
CgroupMeasurementFrame make_cgroup_measurement_frame(std::string_view id, std::string_view name,
                                                     std::string_view runtime);
// append_cgroup_measurement_json(out, id, name, runtime, stats) with the frame of those three.
void append_cgroup_measurement_json(std::string& out, const CgroupMeasurementFrame& frame,
                                    const CgroupStats& stats);

}  // namespace pc::collect
