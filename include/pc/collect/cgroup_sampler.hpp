// The container[*] and service[*] subsystems: every container (and systemd service) cgroup
// under the cgroup v2 root, one record each per tick.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pc/collect/cgroup_files.hpp"
#include "pc/collect/cgroup_layout.hpp"
#include "pc/collect/cgroup_stats.hpp"
#include "pc/collect/docker_names.hpp"
#include "pc/record/record.hpp"

namespace pc::collect {

struct CgroupSamplerOptions {
    std::filesystem::path cgroup_root = "/sys/fs/cgroup";   // PCC_CGROUPROOT
    std::filesystem::path docker_root = "/var/lib/docker";  // PCC_DOCKER_ROOT
    bool containers = true;                                 // container/<runtime>/<12 hex> records
    bool services = false;                                  // service/systemd/<unit> records
};

struct FoundCgroup {
    std::string relative;  // path under the root
    CgroupUnit unit;
    std::uint64_t inode = 0;  // the directory's (readdir's d_ino)
};

// The containers and services under `root`, containers first, each group sorted by path. A
// matched directory is not descended into.
std::vector<FoundCgroup> find_cgroups(const std::filesystem::path& root, bool containers,
                                      bool services);

// find_cgroups with its storage kept from one call to the next: on a steady tree a tick's walk
// allocates nothing.
class CgroupFinder {
public:
    // The cgroups under `root` now, in find_cgroups' order; valid until the next call.
    const std::vector<const FoundCgroup*>& find(const std::string& root, bool containers,
                                                bool services);

private:
    void walk(int depth);

    std::string root_;
    bool containers_ = true;
    bool services_ = false;
    std::string relative_;  // of the directory being walked: grows and shrinks with the depth
    std::string path_;
    std::vector<FoundCgroup> found_;  // the first count_ are this call's
    std::size_t count_ = 0;
    std::vector<const FoundCgroup*> sorted_;
};

// `root` when it is a cgroup v2 hierarchy, <root>/unified in systemd's hybrid layout, else
// nullopt (cgroup v1: its files have other names and meanings).
std::optional<std::filesystem::path> cgroup_v2_root(const std::filesystem::path& root);

class CgroupSampler {
public:
    explicit CgroupSampler(CgroupSamplerOptions options);

    // Appends one record per container (then per service) found now, all with `timestamp`.
    // A cgroup that vanishes while it is read is left out; nothing here fails a tick.
    void sample(std::int64_t timestamp, record::Tick& out);

    // Keeps a written tick: its last records (this sampler's, appended last) give their
    // strings, with their capacity, to the next sample's records: no allocation per record.
    void recycle(record::Tick&& written) { spare_ = std::move(written); }

    // Runtimes of the containers found by the last sample, sorted ("docker", "podman").
    const std::vector<std::string>& runtimes() const { return runtimes_; }

private:
    // What a cgroup's record repeats every tick (its subsystem, the escaped id, Docker name
    // and runtime around the numbers), made when it is first seen and kept while it lives.
    struct RecordParts {
        std::string relative;  // the cgroup's path: an inode number used again is another one
        std::string subsystem;
        CgroupMeasurementFrame frame;
        bool seen = false;
    };
    const RecordParts& parts_of(const FoundCgroup& found);
    // Drops the parts of the cgroups not seen since the last call.
    void forget_other_parts();

    CgroupSamplerOptions options_;
    CgroupFinder finder_;
    std::unordered_map<std::uint64_t, RecordParts> parts_;  // by the cgroup's inode
    std::string dir_;
    DockerNames docker_names_;
    CgroupFiles files_{CgroupFiles::default_max_cgroups()};
    std::vector<std::string> runtimes_;
    record::Tick spare_;  // the last tick written, taken from the back
    bool enabled_ = true;
};

}  // namespace pc::collect
