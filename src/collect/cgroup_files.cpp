#include "pc/collect/cgroup_files.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace pc::collect {

CgroupFiles::CgroupFiles(std::size_t max_cgroups) : max_cgroups_(max_cgroups) {}

CgroupFiles::~CgroupFiles() {
    for (auto& [inode, k] : kept_) close_all(k);
}

void CgroupFiles::close_all(Kept& k) {
    for (int& fd : k.fds) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

std::size_t CgroupFiles::default_max_cgroups() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
    if (r.rlim_cur == RLIM_INFINITY) return 4096;
    return std::min<std::size_t>(4096,
                                 static_cast<std::size_t>(r.rlim_cur) / 2 / kCgroupFiles.size());
}

std::size_t CgroupFiles::descriptors_open() const {
    std::size_t n = 0;
    for (const auto& [inode, k] : kept_) {
        n += static_cast<std::size_t>(
            std::count_if(k.fds.begin(), k.fds.end(), [](int fd) { return fd >= 0; }));
    }
    return n;
}

std::optional<CgroupStats> CgroupFiles::read(const std::string& dir, std::uint64_t inode) {
    // Keyed by the inode, a cheaper hash than the path's; the path tells an inode number used
    // again elsewhere (a regular file system in tests; cgroupfs never reuses one).
    auto it = kept_.find(inode);
    if (it != kept_.end() && it->second.dir != dir) {
        close_all(it->second);
        kept_.erase(it);
        it = kept_.end();
    }
    if (it == kept_.end()) {
        if (kept_.size() >= max_cgroups_) return read_cgroup_stats(std::string_view(dir));
        Kept k;
        k.dir = dir;
        k.fds.fill(-1);
        it = kept_.emplace(inode, std::move(k)).first;
    }
    Kept& k = it->second;
    k.seen = true;
    bool failed = false;
    auto stats =
        read_cgroup_files(dir.c_str(), [&](std::size_t i) -> std::optional<std::string_view> {
            int& fd = k.fds[i];
            if (fd < 0) {  // first tick, or a controller off until now: tried again every tick
                path_.assign(dir);
                path_ += '/';
                path_ += kCgroupFiles[i];
                fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
                if (fd < 0) return std::nullopt;
            }
            std::size_t n = 0;
            for (;;) {
                const std::size_t room = sizeof buffer_ - n;
                // The system call itself: glibc's pread is a cancellation point whose bookkeeping
                // costs as much as the call, eight times per cgroup and tick (pcc cancels no
                // thread).
                const long got =
                    ::syscall(SYS_pread64, fd, buffer_ + n, room, static_cast<off_t>(n));
                if (got < 0 && errno == EINTR) continue;
                if (got < 0) {  // ENODEV: the cgroup was removed
                    failed = true;
                    return std::nullopt;
                }
                n += static_cast<std::size_t>(got);
                // A cgroup file gives all its text to one read with room for it: a short read is
                // the end, which saves a second system call per file.
                if (static_cast<std::size_t>(got) < room || n == sizeof buffer_) break;
            }
            return std::string_view(buffer_, n);
        });
    if (failed || !stats) {
        close_all(k);
        kept_.erase(it);
        // Dead files: read by path what may have been made since, as a new cgroup.
        if (failed) return read_cgroup_stats(std::string_view(dir));
    }
    return stats;
}

void CgroupFiles::forget_others() {
    for (auto it = kept_.begin(); it != kept_.end();) {
        if (!it->second.seen) {
            close_all(it->second);
            it = kept_.erase(it);
        } else {
            it->second.seen = false;
            ++it;
        }
    }
}

}  // namespace pc::collect
