#include "pc/collect/cgroup_sampler.hpp"

#include <dirent.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "pc/collect/cgroup_stats.hpp"
#include "pc/record/subsystem_names.hpp"

namespace pc::collect {

namespace {

// Deeper than any layout above (Kubernetes pods under QoS slices reach about 5).
constexpr int kMaxDepth = 12;

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

void CgroupFinder::walk(int depth) {
    path_.assign(root_);
    if (!relative_.empty()) {
        path_ += '/';
        path_ += relative_;
    }
    std::unique_ptr<DIR, DirCloser> dir(::opendir(path_.c_str()));
    if (!dir) return;  // gone since its parent was listed
    const std::size_t parent_len = relative_.size();
    while (const dirent* e = ::readdir(dir.get())) {
        // DT_UNKNOWN (file systems without d_type): try it, opendir fails on a file.
        if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) continue;
        std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        if (count_ == found_.size()) found_.emplace_back();
        FoundCgroup& f = found_[count_];
        if (parent_len > 0) relative_ += '/';
        relative_ += name;
        // A steady tree lists its cgroups in the same order every tick: the entry in this slot
        // is then the same path, classified already (an entry's unit is always its path's).
        bool is_unit = f.relative == relative_;
        if (!is_unit) {
            is_unit =
                classify_cgroup(std::string_view(relative_).substr(0, parent_len), name, f.unit);
            if (is_unit) f.relative.assign(relative_);
        }
        if (!is_unit) {
            if (depth < kMaxDepth) walk(depth + 1);
        } else if (f.unit.kind == CgroupKind::container ? containers_ : services_) {
            f.inode = e->d_ino;
            ++count_;
        }
        relative_.resize(parent_len);
    }
}

const std::vector<const FoundCgroup*>& CgroupFinder::find(const std::string& root, bool containers,
                                                          bool services) {
    root_ = root;
    containers_ = containers;
    services_ = services;
    relative_.clear();
    count_ = 0;
    walk(0);
    sorted_.clear();
    for (std::size_t i = 0; i < count_; ++i) sorted_.push_back(&found_[i]);
    // Pointers are sorted: moving the entries would cost more than comparing them.
    std::sort(sorted_.begin(), sorted_.end(), [](const FoundCgroup* a, const FoundCgroup* b) {
        if (a->unit.kind != b->unit.kind) return a->unit.kind == CgroupKind::container;
        return a->relative < b->relative;
    });
    return sorted_;
}

std::vector<FoundCgroup> find_cgroups(const std::filesystem::path& root, bool containers,
                                      bool services) {
    CgroupFinder finder;
    std::vector<FoundCgroup> found;
    for (const FoundCgroup* f : finder.find(root.native(), containers, services)) {
        found.push_back(*f);
    }
    return found;
}

std::optional<std::filesystem::path> cgroup_v2_root(const std::filesystem::path& root) {
    std::error_code ec;
    if (std::filesystem::exists(root / "cgroup.controllers", ec)) return root;
    // systemd's hybrid layout: v1 controllers beside a v2 tree at <root>/unified.
    if (std::filesystem::exists(root / "unified" / "cgroup.controllers", ec)) {
        return root / "unified";
    }
    return std::nullopt;
}

CgroupSampler::CgroupSampler(CgroupSamplerOptions options)
    : options_(std::move(options)), docker_names_(options_.docker_root) {
    auto root = cgroup_v2_root(options_.cgroup_root);
    if (!root) {
        spdlog::warn(
            "{} is not a cgroup v2 hierarchy (no cgroup.controllers): container and service "
            "records need cgroup v2; none will be written",
            options_.cgroup_root.string());
        enabled_ = false;
        return;
    }
    if (*root != options_.cgroup_root) {
        spdlog::info("cgroup v2 hierarchy at {} (hybrid layout)", root->string());
    }
    options_.cgroup_root = *root;
}

void CgroupSampler::sample(std::int64_t timestamp, record::Tick& out) {
    if (!enabled_) return;
    const auto& found =
        finder_.find(options_.cgroup_root.native(), options_.containers, options_.services);
    runtimes_.clear();
    out.reserve(out.size() + found.size());
    dir_.assign(options_.cgroup_root.native());
    dir_ += '/';
    const std::size_t root_len = dir_.size();
    for (const FoundCgroup* f : found) {
        dir_.resize(root_len);
        dir_ += f->relative;
        auto stats = files_.read(dir_, f->inode);
        if (!stats) continue;
        const RecordParts& parts = parts_of(*f);
        record::Record r;
        if (!spare_.empty()) {  // last tick's record of about this size: its strings' storage
            r = std::move(spare_.back());
            spare_.pop_back();
            r.measurement.clear();
        }
        r.timestamp = timestamp;
        r.measurement_is_json = true;  // written escaped: the sink copies it
        r.subsystem.assign(parts.subsystem);
        append_cgroup_measurement_json(r.measurement, parts.frame, *stats);
        const CgroupUnit& u = f->unit;
        // Containers of one runtime come one after the other: the last one is checked first.
        if (u.kind == CgroupKind::container &&
            (runtimes_.empty() || runtimes_.back() != u.runtime) &&
            std::find(runtimes_.begin(), runtimes_.end(), u.runtime) == runtimes_.end()) {
            runtimes_.push_back(u.runtime);
        }
        out.push_back(std::move(r));
    }
    std::sort(runtimes_.begin(), runtimes_.end());
    files_.forget_others();  // closes the files of the cgroups gone since the last tick
    forget_other_parts();
    spare_.clear();  // what this tick did not reuse (the host's records) is freed now
}

const CgroupSampler::RecordParts& CgroupSampler::parts_of(const FoundCgroup& found) {
    auto it = parts_.find(found.inode);
    if (it == parts_.end() || it->second.relative != found.relative) {
        const CgroupUnit& u = found.unit;
        RecordParts p;
        p.relative = found.relative;
        if (u.kind == CgroupKind::container) {
            p.subsystem = record::subsystem::kContainerPrefix;
            p.subsystem += u.runtime;
            p.subsystem += '/';
            p.subsystem.append(u.id, 0, 12);
            // Docker's name is read once per container, here.
            static const std::string kNoName;
            const std::string& name = u.runtime == "docker" ? docker_names_.name(u.id) : kNoName;
            p.frame = make_cgroup_measurement_frame(u.id, name, u.runtime);
        } else {
            p.subsystem = record::subsystem::kServicePrefix;
            p.subsystem += u.runtime;
            p.subsystem += '/';
            p.subsystem += u.id;
            p.frame = make_cgroup_measurement_frame(u.id, {}, u.runtime);
        }
        it = parts_.insert_or_assign(found.inode, std::move(p)).first;
    }
    it->second.seen = true;
    return it->second;
}

void CgroupSampler::forget_other_parts() {
    for (auto it = parts_.begin(); it != parts_.end();) {
        if (!it->second.seen) {
            it = parts_.erase(it);
        } else {
            it->second.seen = false;
            ++it;
        }
    }
    docker_names_.forget_others();  // names are asked only for new cgroups: keeps none needed
}

}  // namespace pc::collect
