#include "pc/collect/cgroup_sampler.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "pc/collect/cgroup_stats.hpp"
#include "pc/collect/sampler.hpp"
#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::collect::CgroupSampler;
using pc::collect::CgroupSamplerOptions;

namespace {

fs::path tree() {
    return pc::test::source_dir() / "testdata/cgroup-v2";
}
fs::path docker_root() {
    return pc::test::source_dir() / "testdata/docker-root";
}

const char* kDocker1 = "7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d";

CgroupSamplerOptions options(bool containers, bool services) {
    CgroupSamplerOptions o;
    o.cgroup_root = tree();
    o.docker_root = docker_root();
    o.containers = containers;
    o.services = services;
    return o;
}

std::vector<std::string> subsystems(const pc::record::Tick& tick) {
    std::vector<std::string> out;
    for (const auto& r : tick) out.push_back(r.subsystem);
    return out;
}

}  // namespace

TEST(CgroupSampler, EveryLayoutOfTheTreeOnceInPathOrder) {
    CgroupSampler sampler(options(true, false));
    pc::record::Tick tick;
    sampler.sample(1767893329, tick);
    EXPECT_EQ(subsystems(tick), (std::vector<std::string>{
                                    "container/docker/e26b9c7aa033",
                                    "container/cri-o/a1b2c3d4e5f6",
                                    "container/containerd/3f1c0a9b8e7d",
                                    "container/podman/5e5d5c5b5a59",
                                    "container/docker/7892fa5ced3d",
                                    "container/podman/0fedcba98765",
                                }));
    for (const auto& r : tick) EXPECT_EQ(r.timestamp, 1767893329);
    EXPECT_EQ(sampler.runtimes(),
              (std::vector<std::string>{"containerd", "cri-o", "docker", "podman"}));
}

TEST(CgroupSampler, MeasurementIsTheOriginalsObjectWithTheDockerName) {
    CgroupSampler sampler(options(true, false));
    pc::record::Tick tick;
    sampler.sample(1, tick);
    auto it = std::find_if(tick.begin(), tick.end(), [](const auto& r) {
        return r.subsystem == "container/docker/7892fa5ced3d";
    });
    ASSERT_NE(it, tick.end());
    auto stats = pc::collect::read_cgroup_stats(
        tree() / (std::string("system.slice/docker-") + kDocker1 + ".scope"));
    ASSERT_TRUE(stats);
    std::string want;
    pc::collect::append_cgroup_measurement(want, kDocker1, "LT-suse-bench-3", "docker", *stats);
    // Held as the record line carries it, which encodes like the plain text.
    EXPECT_TRUE(it->measurement_is_json);
    EXPECT_EQ(pc::record::measurement_text(*it), want);
    EXPECT_EQ(want.back(), '}');  // no trailing newline
    pc::record::Record plain{it->timestamp, it->subsystem, want};
    EXPECT_EQ(pc::record::encode_record(*it), pc::record::encode_record(plain));
}

TEST(CgroupSampler, ServicesAfterContainersWithTheUnitAsId) {
    CgroupSampler sampler(options(true, true));
    pc::record::Tick tick;
    sampler.sample(1, tick);
    ASSERT_EQ(tick.size(), 8u);
    EXPECT_EQ(tick[6].subsystem, "service/systemd/containerd.service");
    EXPECT_EQ(tick[7].subsystem, "service/systemd/ssh.service");
    const std::string m = pc::record::measurement_text(tick[7]);
    EXPECT_NE(m.find("\"container_id\":\"ssh.service\",\"container_name\":\"\""),
              std::string::npos);
    EXPECT_NE(m.find("\"runtime\":\"systemd\"}"), std::string::npos);

    CgroupSampler only_services(options(false, true));
    pc::record::Tick t2;
    only_services.sample(1, t2);
    EXPECT_EQ(subsystems(t2), (std::vector<std::string>{"service/systemd/containerd.service",
                                                        "service/systemd/ssh.service"}));
}

TEST(CgroupSampler, ContainersAppearAndDisappearBetweenTicks) {
    pc::test::TempDir tmp;
    fs::copy(tree(), tmp / "cg", fs::copy_options::recursive);
    auto o = options(true, false);
    o.cgroup_root = tmp / "cg";
    CgroupSampler sampler(o);
    pc::record::Tick t1, t2, t3;
    sampler.sample(1, t1);
    fs::remove_all(tmp / "cg" / "docker");
    sampler.sample(2, t2);
    fs::copy(tree() / "docker", tmp / "cg" / "docker", fs::copy_options::recursive);
    sampler.sample(3, t3);
    EXPECT_EQ(t1.size(), 6u);
    EXPECT_EQ(t2.size(), 5u);
    EXPECT_EQ(t3, [&] {
        auto t = t1;
        for (auto& r : t) r.timestamp = 3;
        return t;
    }());
}

TEST(CgroupSampler, NotCgroupV2MeansNoRecordsAndAHybridTreeIsFound) {
    pc::test::TempDir tmp;
    fs::create_directories(tmp / "v1" / "cpu" / "docker");
    auto o = options(true, true);
    o.cgroup_root = tmp / "v1";
    CgroupSampler v1(o);
    pc::record::Tick tick;
    v1.sample(1, tick);
    EXPECT_TRUE(tick.empty());

    fs::create_directories(tmp / "hybrid");
    fs::copy(tree(), tmp / "hybrid" / "unified", fs::copy_options::recursive);
    EXPECT_EQ(pc::collect::cgroup_v2_root(tmp / "hybrid"), tmp / "hybrid" / "unified");
    o.cgroup_root = tmp / "hybrid";
    CgroupSampler hybrid(o);
    hybrid.sample(1, tick);
    EXPECT_EQ(tick.size(), 8u);
}

TEST(CgroupSampler, SamplerPutsThemLastInTheTick) {
    pc::collect::SamplerOptions o;
    o.procroot = pc::test::source_dir() / "testdata/procroot-vm2cpu";
    o.subsystems = {"/proc/stat", "container[*]", "service[*]"};
    o.cgroups.cgroup_root = tree();
    o.cgroups.docker_root = docker_root();
    pc::collect::Sampler sampler(o);
    auto tick = sampler.sample(5, true);
    ASSERT_EQ(tick.size(), 9u);
    EXPECT_EQ(tick[0].subsystem, "/proc/stat");
    EXPECT_EQ(tick[1].subsystem, "container/docker/e26b9c7aa033");
    EXPECT_EQ(tick[8].subsystem, "service/systemd/ssh.service");
}

TEST(CgroupSampler, TheFinderReusesItsStorageAndFollowsTheTree) {
    pc::test::TempDir tmp;
    fs::copy(tree(), tmp / "cg", fs::copy_options::recursive);
    const std::string root = (tmp / "cg").string();
    auto relatives = [](const std::vector<const pc::collect::FoundCgroup*>& found) {
        std::vector<std::string> out;
        for (const auto* f : found)
            out.push_back(f->relative + " " + f->unit.runtime + " " + f->unit.id);
        return out;
    };
    auto expected = [&] {
        std::vector<std::string> out;
        for (const auto& f : pc::collect::find_cgroups(root, true, true)) {
            out.push_back(f.relative + " " + f.unit.runtime + " " + f.unit.id);
        }
        return out;
    };
    pc::collect::CgroupFinder finder;
    const auto first = relatives(finder.find(root, true, true));
    EXPECT_EQ(first.size(), 8u);
    EXPECT_EQ(first, expected());
    EXPECT_EQ(relatives(finder.find(root, true, true)), first);  // the same again
    fs::remove_all(tmp / "cg" / "docker");
    EXPECT_EQ(relatives(finder.find(root, true, true)), expected());
    EXPECT_EQ(finder.find(root, true, true).size(), 7u);
    EXPECT_EQ(finder.find(root, false, true).size(), 2u);  // services only
    fs::copy(tree() / "docker", tmp / "cg" / "docker", fs::copy_options::recursive);
    EXPECT_EQ(relatives(finder.find(root, true, true)), first);
    EXPECT_TRUE(finder.find((tmp / "none").string(), true, true).empty());
    // Each entry's inode is its directory's.
    for (const auto* f : finder.find(root, true, true)) {
        struct stat st {};
        ASSERT_EQ(::stat((tmp / "cg" / f->relative).c_str(), &st), 0);
        EXPECT_EQ(f->inode, static_cast<std::uint64_t>(st.st_ino)) << f->relative;
    }
}
