#include "pc/collect/cgroup_layout.hpp"

#include <array>

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

bool container(std::string_view runtime, std::string_view id, CgroupUnit& out) {
    if (!is_container_id(id)) return false;
    out.kind = CgroupKind::container;
    out.runtime.assign(runtime);
    out.id.assign(id);
    return true;
}

// Lowercase hex digits.
constexpr std::array<bool, 256> kHex = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = true;
    return t;
}();

}  // namespace

bool is_container_id(std::string_view s) {
    if (s.size() != 64) return false;
    bool hex = true;
    for (char c : s) hex &= kHex[static_cast<unsigned char>(c)];
    return hex;
}

bool classify_cgroup(std::string_view parent, std::string_view leaf, CgroupUnit& out) {
    constexpr std::string_view kScope = ".scope";
    if (leaf.ends_with(kScope)) {
        std::string_view stem = leaf.substr(0, leaf.size() - kScope.size());
        for (const auto& s : kScopes) {
            if (stem.starts_with(s.prefix))
                return container(s.runtime, stem.substr(s.prefix.size()), out);
        }
        return false;
    }
    // Docker's cgroupfs driver: docker/<id>, directly under the root or a parent slice.
    std::string_view parent_leaf = parent.substr(parent.rfind('/') + 1);
    if (parent_leaf == "docker") return container("docker", leaf, out);

    constexpr std::string_view kService = ".service";
    if (parent == "system.slice" && leaf.ends_with(kService) && leaf.size() > kService.size()) {
        out.kind = CgroupKind::service;
        out.runtime.assign("systemd");
        out.id.assign(leaf);
        return true;
    }
    return false;
}

std::optional<CgroupUnit> classify_cgroup(std::string_view relative) {
    while (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);
    std::size_t slash = relative.rfind('/');
    std::string_view leaf = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
    std::string_view parent =
        slash == std::string_view::npos ? std::string_view{} : relative.substr(0, slash);
    CgroupUnit u;
    if (!classify_cgroup(parent, leaf, u)) return std::nullopt;
    return u;
}

}  // namespace pc::collect
