#include "pc/collect/sampler.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "pc/collect/mounts.hpp"
#include "pc/collect/subsystems.hpp"
#include "pc/core/error.hpp"

namespace pc::collect {

std::optional<std::string> read_source_file(const std::filesystem::path& path, int& error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
        return std::nullopt;
    }
    std::string content;
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = errno;
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    error = 0;
    return content;
}

Sampler::Sampler(SamplerOptions options)
    : options_(std::move(options)), probe_(options_.statfs, options_.statfs_deadline) {
    const auto& subs = options_.subsystems;
    bool containers = std::find(subs.begin(), subs.end(), kContainers) != subs.end();
    bool services = std::find(subs.begin(), subs.end(), kServices) != subs.end();
    if (containers || services) {
        CgroupSamplerOptions o = options_.cgroups;
        o.containers = containers;
        o.services = services;
        cgroups_.emplace(std::move(o));
    }
}

void Sampler::recycle(record::Tick&& written) {
    if (cgroups_) cgroups_->recycle(std::move(written));
}

const std::vector<std::string>& Sampler::container_runtimes() const {
    static const std::vector<std::string> none;
    return cgroups_ ? cgroups_->runtimes() : none;
}

std::optional<std::string> Sampler::statfs_measurement() {
    int error = 0;
    auto mounts = read_source_file(options_.procroot / "mounts", error);
    if (!mounts) {
        spdlog::warn("statfs[*]: cannot read {}: {}; skipped this tick",
                     (options_.procroot / "mounts").string(), core::errno_text(error));
        return std::nullopt;
    }
    auto filesystems = read_source_file(options_.procroot / "filesystems", error);
    if (!filesystems) {
        spdlog::warn("statfs[*]: cannot read {}: {}; skipped this tick",
                     (options_.procroot / "filesystems").string(), core::errno_text(error));
        return std::nullopt;
    }
    if (!have_selection_ || *mounts != last_mounts_ || *filesystems != last_filesystems_) {
        selected_mounts_ = select_mounts(*mounts, *filesystems);
        last_mounts_ = std::move(*mounts);
        last_filesystems_ = std::move(*filesystems);
        have_selection_ = true;
    }
    std::string measurement;
    for (const auto& mount : selected_mounts_) {
        auto result = probe_.probe(mount.mount_point);
        switch (result.status) {
            case StatfsProbe::Status::ok:
                measurement += format_statfs_line(mount.mount_point, result.stats);
                break;
            case StatfsProbe::Status::failed:
                spdlog::warn("statfs {}: {}; mount skipped this tick", mount.mount_point,
                             core::errno_text(result.error));
                break;
            case StatfsProbe::Status::timed_out:
                spdlog::warn("statfs {}: no answer within {} ms; mount skipped until it answers",
                             mount.mount_point, probe_.deadline().count());
                break;
            case StatfsProbe::Status::still_hung:
                spdlog::debug("statfs {}: still hung; skipped", mount.mount_point);
                break;
        }
    }
    return measurement;
}

record::Tick Sampler::sample(std::int64_t timestamp, bool first_tick) {
    record::Tick tick;
    tick.reserve(options_.subsystems.size());
    bool cgroups_done = false;
    for (const auto& subsystem : options_.subsystems) {
        if (subsystem == kCpuinfo && !first_tick) continue;
        if (subsystem == kContainers || subsystem == kServices) {
            // One walk of the cgroup tree gives both (they are last and adjacent in tick order).
            if (!cgroups_done) cgroups_->sample(timestamp, tick);
            cgroups_done = true;
            continue;
        }
        std::optional<std::string> measurement;
        if (subsystem == kStatfs) {
            measurement = statfs_measurement();
        } else {
            auto path = options_.procroot / proc_relative_path(subsystem);
            int error = 0;
            measurement = read_source_file(path, error);
            if (!measurement) {
                spdlog::warn("{}: cannot read {}: {}; skipped this tick", subsystem, path.string(),
                             core::errno_text(error));
            }
        }
        if (measurement)
            tick.push_back(record::Record{timestamp, subsystem, std::move(*measurement)});
    }
    return tick;
}

}  // namespace pc::collect
