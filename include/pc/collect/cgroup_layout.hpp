// Which cgroup v2 directories are containers or systemd services, recognised from the path
// alone (no runtime daemon is asked).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pc::collect {

enum class CgroupKind { container, service };

struct CgroupUnit {
    CgroupKind kind = CgroupKind::container;
    std::string runtime;  // "docker", "containerd", "cri-o", "podman" or "systemd"
    std::string id;       // the container's 64 hex digits, or the service's unit name
};

// `relative` is the directory's path under the cgroup root ("system.slice/docker-<id>.scope").
// Containers:
//   docker:     .../docker-<id>.scope (systemd driver), docker/<id> (cgroupfs driver)
//   containerd: .../cri-containerd-<id>.scope (Kubernetes)
//   cri-o:      .../crio-<id>.scope (Kubernetes; crio-conmon-<id>.scope is not a container)
//   podman:     .../libpod-<id>.scope, rootful (machine.slice) or rootless (user.slice/...);
//               libpod-conmon-<id>.scope is not a container
// Services: system.slice/<unit>.service exactly (a direct child of system.slice).
// nullopt for anything else.
std::optional<CgroupUnit> classify_cgroup(std::string_view relative);

// The same for the directory `leaf` in `parent` (its path under the root, "" at the root),
// written into `out`, whose strings keep their capacity: whether it is a container or a
// service. For the tree walk, which knows both parts and runs every tick.
bool classify_cgroup(std::string_view parent, std::string_view leaf, CgroupUnit& out);

// 64 lowercase hex digits: a container id.
bool is_container_id(std::string_view s);

}  // namespace pc::collect
