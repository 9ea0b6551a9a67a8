// One tick's worth of raw samples: the configured subsystems read in collection order.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pc/collect/cgroup_sampler.hpp"
#include "pc/collect/mounts.hpp"
#include "pc/collect/statfs_probe.hpp"
#include "pc/record/record.hpp"

namespace pc::collect {

struct SamplerOptions {
    std::filesystem::path procroot = "/proc";  // PCC_PROCROOT: where /proc/... files are read
    std::vector<std::string> subsystems;       // in tick order (see parse_subsystems)
    StatfsFunction statfs = system_statfs;
    std::chrono::milliseconds statfs_deadline{5000};
    // container[*] and service[*]: where cgroups and Docker's files are (the two flags are
    // set from `subsystems` by the Sampler).
    CgroupSamplerOptions cgroups;
};

// Reads a whole file the way /proc needs (size unknown up front). nullopt with `error` = errno.
std::optional<std::string> read_source_file(const std::filesystem::path& path, int& error);

class Sampler {
public:
    explicit Sampler(SamplerOptions options);

    // Samples every subsystem once; all records carry `timestamp`. /proc/cpuinfo is included
    // only when `first_tick`. A source that cannot be read is logged and left out of this tick.
    record::Tick sample(std::int64_t timestamp, bool first_tick);
    // A tick sample() returned, once written: its records' strings are reused by the next
    // tick's container and service records (their sizes hardly change from tick to tick).
    void recycle(record::Tick&& written);

    // The statfs[*] measurement alone (JSON lines, one per selected mount); nullopt when the
    // mount table cannot be read.
    std::optional<std::string> statfs_measurement();

    // Container runtimes seen by the latest tick ("docker", ...); empty without container[*].
    const std::vector<std::string>& container_runtimes() const;

private:
    SamplerOptions options_;
    StatfsProbe probe_;
    // The mount table rarely changes: select_mounts runs again only when either text differs
    // from the previous tick's.
    std::string last_mounts_;
    std::string last_filesystems_;
    std::vector<Mount> selected_mounts_;
    bool have_selection_ = false;
    std::optional<CgroupSampler> cgroups_;  // when container[*] or service[*] is selected
};

}  // namespace pc::collect
