// The files of the cgroups pcc samples, kept open between ticks: a cgroup v2 file stays valid
// while its cgroup exists, so a tick reads each with one pread instead of open, read and close.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "pc/collect/cgroup_stats.hpp"

namespace pc::collect {

class CgroupFiles {
public:
    // Keeps the descriptors of at most `max_cgroups` cgroups (eight each); the others are
    // read by path every tick.
    explicit CgroupFiles(std::size_t max_cgroups);
    ~CgroupFiles();
    CgroupFiles(const CgroupFiles&) = delete;
    CgroupFiles& operator=(const CgroupFiles&) = delete;

    // What read_cgroup_stats(dir) gives. `inode` is the directory's: a cgroup removed and
    // made again at the same path is a new one, whose files are opened afresh (the old ones
    // are closed by the next forget_others).
    std::optional<CgroupStats> read(const std::string& dir, std::uint64_t inode);

    // Closes the files of the cgroups not read since the previous call (they are gone).
    void forget_others();

    std::size_t cgroups_kept() const { return kept_.size(); }
    std::size_t descriptors_open() const;

    // Half the soft RLIMIT_NOFILE, eight descriptors per cgroup, at most 4096 cgroups.
    static std::size_t default_max_cgroups();

private:
    struct Kept {
        std::string dir;
        std::array<int, kCgroupFiles.size()> fds{};
        bool seen = false;
    };
    static void close_all(Kept& k);

    std::size_t max_cgroups_;
    std::unordered_map<std::uint64_t, Kept> kept_;  // by the directory's inode
    std::string path_;
    char buffer_[16384];
};

}  // namespace pc::collect
