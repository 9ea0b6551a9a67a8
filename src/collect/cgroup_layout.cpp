#include "pc/collect/cgroup_layout.hpp"

#include <algorithm>

namespace pc::collect {

namespace {

struct ScopePrefix {
    std::string_view prefix;
    std::string_view runtime;
};

// Longest first is not needed: no prefix is a prefix of another's id part.
constexpr ScopePrefix kScopes[] = {
    {"docker-", "docker"},
    {"cri-containerd-", "containerd"},
    {"crio-", "cri-o"},
    {"libpod-", "podman"},
};

std::optional<CgroupUnit> container(std::string_view runtime, std::string_view id) {
    if (!is_container_id(id)) return std::nullopt;
    return CgroupUnit{CgroupKind::container, std::string(runtime), std::string(id)};
}

}  // namespace

bool is_container_id(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::optional<CgroupUnit> classify_cgroup(std::string_view relative) {
    while (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);
    std::size_t slash = relative.rfind('/');
    std::string_view leaf = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
    std::string_view parent =
        slash == std::string_view::npos ? std::string_view{} : relative.substr(0, slash);

    constexpr std::string_view kScope = ".scope";
    if (leaf.ends_with(kScope)) {
        std::string_view stem = leaf.substr(0, leaf.size() - kScope.size());
        for (const auto& s : kScopes) {
            if (stem.starts_with(s.prefix))
                return container(s.runtime, stem.substr(s.prefix.size()));
        }
        return std::nullopt;
    }
    // Docker's cgroupfs driver: docker/<id>, directly under the root or a parent slice.
    std::string_view parent_leaf = parent.substr(parent.rfind('/') + 1);
    if (parent_leaf == "docker") return container("docker", leaf);

    constexpr std::string_view kService = ".service";
    if (parent == "system.slice" && leaf.ends_with(kService) && leaf.size() > kService.size()) {
        return CgroupUnit{CgroupKind::service, "systemd", std::string(leaf)};
    }
    return std::nullopt;
}

}  // namespace pc::collect
