// Private to the process module: containers.csv and services.csv, the portal's per-container
// table, built from container/<runtime>/<id> and service/systemd/<unit> records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pc/process/container_names.hpp"
#include "pc/process/options.hpp"
#include "pc/procfs/parse_status.hpp"

namespace pc::process {

// The counters one row reads from a record's measurement (a missing key reads as 0).
struct CgroupSample {
    std::int64_t ts = 0;
    std::uint32_t runtime = 0;  // index into the table's runtime names
    bool empty = false;         // the measurement was "{}" (the converter treats it as absent)
    std::uint64_t cpu_usage_usec = 0;
    std::uint64_t cpu_user_usec = 0;
    std::uint64_t cpu_system_usec = 0;
    std::uint64_t memory_current = 0;
    std::uint64_t memory_max = 0;
    std::uint64_t io_read_bytes = 0;
    std::uint64_t io_write_bytes = 0;
    std::uint64_t io_read_ops = 0;
    std::uint64_t io_write_ops = 0;
    std::uint64_t pids_current = 0;
};

struct TableSettings {
    Mode mode = Mode::standard;
    const ContainerNames* names = nullptr;  // may be null
    std::size_t cpu_count = 0;              // default mode's cap is cpu_count × 100 %; 0: none
    bool short_fallback = true;  // unnamed ids show their first 12 characters (containers)
};

// Rows are kept until the end: the file groups them per container, in the order of each
// container's first record, sorted by timestamp within a group.
class CgroupTable {
public:
    // `subsystem` is "<kind>/<runtime>/<short id>". Fails on a measurement that is not a JSON
    // object of integers and strings; the record is then left out.
    procfs::ParseStatus add(std::int64_t ts, std::string_view subsystem,
                            std::string_view measurement);
    bool empty() const { return groups_.empty(); }
    // The whole CSV, header included, every line ending in "\r\n".
    std::string render(const TableSettings& settings) const;

private:
    struct Group {
        std::string id;
        std::string record_name;  // the latest non-empty container_name of its records
        std::vector<CgroupSample> samples;
    };
    std::vector<Group> groups_;
    std::unordered_map<std::string, std::size_t> index_;  // id -> position in groups_
    std::vector<std::string> runtimes_;
};

}  // namespace pc::process
