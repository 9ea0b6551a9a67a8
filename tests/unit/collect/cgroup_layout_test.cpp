#include "pc/collect/cgroup_layout.hpp"

#include <gtest/gtest.h>

using pc::collect::CgroupKind;
using pc::collect::classify_cgroup;

namespace {

const std::string kId = "7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d";

void expect_container(const std::string& path, const std::string& runtime) {
    auto u = classify_cgroup(path);
    ASSERT_TRUE(u.has_value()) << path;
    EXPECT_EQ(u->kind, CgroupKind::container) << path;
    EXPECT_EQ(u->runtime, runtime) << path;
    EXPECT_EQ(u->id, kId) << path;
}

}  // namespace

TEST(CgroupLayout, DockerSystemdDriver) {
    expect_container("system.slice/docker-" + kId + ".scope", "docker");
}

TEST(CgroupLayout, DockerCgroupfsDriver) {
    expect_container("docker/" + kId, "docker");
    expect_container("some.slice/docker/" + kId, "docker");
    EXPECT_FALSE(classify_cgroup("docker"));
    EXPECT_FALSE(classify_cgroup("docker/not-an-id"));
}

TEST(CgroupLayout, ContainerdUnderKubernetes) {
    expect_container(
        "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-" +
            kId + ".scope",
        "containerd");
}

TEST(CgroupLayout, CriOUnderKubernetesButNotConmon) {
    expect_container("kubepods.slice/kubepods-pod1.slice/crio-" + kId + ".scope", "cri-o");
    EXPECT_FALSE(
        classify_cgroup("kubepods.slice/kubepods-pod1.slice/crio-conmon-" + kId + ".scope"));
}

TEST(CgroupLayout, PodmanRootfulAndRootlessButNotConmon) {
    expect_container("machine.slice/libpod-" + kId + ".scope", "podman");
    expect_container(
        "user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + kId + ".scope",
        "podman");
    EXPECT_FALSE(classify_cgroup("machine.slice/libpod-conmon-" + kId + ".scope"));
}

TEST(CgroupLayout, SystemdServicesAreDirectChildrenOfSystemSlice) {
    auto u = classify_cgroup("system.slice/ssh.service");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->kind, CgroupKind::service);
    EXPECT_EQ(u->runtime, "systemd");
    EXPECT_EQ(u->id, "ssh.service");
    EXPECT_FALSE(classify_cgroup("system.slice/docker.socket"));
    EXPECT_FALSE(classify_cgroup("system.slice/.service"));
    EXPECT_FALSE(classify_cgroup("user.slice/user-1000.slice/user@1000.service"));
    EXPECT_FALSE(classify_cgroup("system.slice/system-getty.slice/getty@tty1.service"));
}

TEST(CgroupLayout, OtherScopesAndIdsAreNotContainers) {
    EXPECT_FALSE(classify_cgroup("user.slice/user-1000.slice/session-3.scope"));
    EXPECT_FALSE(classify_cgroup("init.scope"));
    EXPECT_FALSE(classify_cgroup("system.slice/docker-" + kId.substr(0, 63) + ".scope"));
    std::string upper = kId;
    upper[0] = 'A';
    EXPECT_FALSE(classify_cgroup("system.slice/docker-" + upper + ".scope"));
}
