#include "pc/collect/sampler.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <map>
#include <sstream>

#include "log_capture.hpp"
#include "pc/collect/subsystems.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::collect::FsStats;
using pc::collect::Sampler;
using pc::collect::SamplerOptions;

namespace {

fs::path recorded() {
    return pc::test::source_dir() / "testdata/procroot-vm2cpu";
}

// Numbers per path, so the statfs[*] text is fully determined by the test.
pc::collect::StatfsFunction fake_statfs(std::map<std::string, FsStats> table) {
    return [table](const std::string& path, FsStats& out) {
        auto it = table.find(path);
        if (it == table.end()) return ENOENT;
        out = it->second;
        return 0;
    };
}

SamplerOptions options(fs::path root, std::vector<std::string> subsystems) {
    SamplerOptions o;
    o.procroot = std::move(root);
    o.subsystems = std::move(subsystems);
    o.statfs = fake_statfs({{"/", FsStats{4096, 1000, 600, 550}}});
    return o;
}

using pc::test::LogCapture;

}  // namespace

TEST(Sampler, RecordedProcrootFirstTickInOrderWithRawText) {
    Sampler sampler(options(recorded(), pc::collect::default_subsystems()));
    auto tick = sampler.sample(1767800521, true);
    ASSERT_EQ(tick.size(), 6u);
    const char* files[] = {"cpuinfo", "stat", "meminfo", "net/dev", "diskstats"};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(tick[i].timestamp, 1767800521);
        EXPECT_EQ(tick[i].subsystem, std::string("/proc/") + files[i]);
        EXPECT_EQ(tick[i].measurement, pc::test::read_file(recorded() / files[i]));
    }
    EXPECT_EQ(tick[5].subsystem, "statfs[*]");
    EXPECT_EQ(tick[5].timestamp, 1767800521);
    EXPECT_EQ(tick[5].measurement,
              "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":1000,"
              "\"blocks_free\":600,\"blocks_available\":550}\n");
}

TEST(Sampler, CpuinfoOnlyOnTheFirstTick) {
    Sampler sampler(options(recorded(), pc::collect::default_subsystems()));
    sampler.sample(1, true);
    auto tick = sampler.sample(2, false);
    ASSERT_EQ(tick.size(), 5u);
    EXPECT_EQ(tick.front().subsystem, "/proc/stat");
    for (const auto& r : tick) EXPECT_EQ(r.timestamp, 2);
}

TEST(Sampler, ExtrasAfterStatfs) {
    Sampler sampler(options(
        recorded(), pc::collect::parse_subsystems("default,/proc/vmstat,/proc/loadavg", "X")));
    auto tick = sampler.sample(5, false);
    ASSERT_EQ(tick.size(), 7u);
    EXPECT_EQ(tick[4].subsystem, "statfs[*]");
    EXPECT_EQ(tick[5].subsystem, "/proc/vmstat");
    EXPECT_EQ(tick[5].measurement, pc::test::read_file(recorded() / "vmstat"));
    EXPECT_EQ(tick[6].subsystem, "/proc/loadavg");
    EXPECT_EQ(tick[6].measurement, pc::test::read_file(recorded() / "loadavg"));
}

TEST(Sampler, UptimeFirstAfterCpuinfo) {
    Sampler sampler(
        options(recorded(), pc::collect::parse_subsystems("default,/proc/uptime", "X")));
    auto tick = sampler.sample(5, true);
    ASSERT_EQ(tick.size(), 7u);
    EXPECT_EQ(tick[0].subsystem, "/proc/cpuinfo");
    EXPECT_EQ(tick[1].subsystem, "/proc/uptime");
    EXPECT_EQ(tick[1].measurement, "10965.27 20170.54\n");
    EXPECT_EQ(tick[2].subsystem, "/proc/stat");
}

TEST(Sampler, UnreadableSourceIsLoggedAndSkipped) {
    pc::test::TempDir dir;
    for (const char* f : {"stat", "diskstats", "mounts", "filesystems"}) {
        fs::copy_file(recorded() / f, dir / f);
    }
    LogCapture log;
    Sampler sampler(options(dir.path(), pc::collect::default_subsystems()));
    auto tick = sampler.sample(9, true);
    ASSERT_EQ(tick.size(), 3u);
    EXPECT_EQ(tick[0].subsystem, "/proc/stat");
    EXPECT_EQ(tick[1].subsystem, "/proc/diskstats");
    EXPECT_EQ(tick[2].subsystem, "statfs[*]");
    for (const char* missing : {"/proc/cpuinfo", "/proc/meminfo", "/proc/net/dev"}) {
        EXPECT_NE(log.text().find(missing), std::string::npos) << missing;
    }
    // Without a mount table statfs[*] is skipped too.
    fs::remove(dir / "mounts");
    auto second = sampler.sample(10, false);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_NE(log.text().find("mounts"), std::string::npos);
}

TEST(Sampler, RawBytesKeptAsIs) {
    pc::test::TempDir dir;
    std::string odd = "a<b>&c\t\"q\"\\ \x01 \xff \xe2\x80\xa8 end";  // escaping is the codec's job
    pc::test::write_file(dir / "stat", odd);
    Sampler sampler(options(dir.path(), {"/proc/stat"}));
    auto tick = sampler.sample(1, true);
    ASSERT_EQ(tick.size(), 1u);
    EXPECT_EQ(tick[0].measurement, odd);
}

TEST(Sampler, FailingMountIsLeftOutOfStatfs) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "filesystems", "\text4\n");
    pc::test::write_file(
        dir / "mounts",
        "/dev/a / ext4 rw 0 0\n/dev/b /gone ext4 rw 0 0\n/dev/c /data ext4 rw 0 0\n");
    auto o = options(dir.path(), {"statfs[*]"});
    o.statfs = fake_statfs({{"/", FsStats{4096, 3, 2, 1}}, {"/data", FsStats{512, 9, 8, 7}}});
    LogCapture log;
    Sampler sampler(o);
    auto tick = sampler.sample(1, true);
    ASSERT_EQ(tick.size(), 1u);
    EXPECT_EQ(tick[0].measurement,
              "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":3,\"blocks_free\":2,"
              "\"blocks_available\":1}\n"
              "{\"mount_point\":\"/data\",\"block_size\":512,\"blocks_total\":9,\"blocks_free\":8,"
              "\"blocks_available\":7}\n");
    EXPECT_NE(log.text().find("/gone"), std::string::npos);
}

// The selected mounts are cached between ticks; a changed mount table (or filesystems list)
// must still be picked up on the next tick.
TEST(Sampler, MountTableChangesBetweenTicksArePickedUp) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "filesystems", "nodev\tproc\n\text4\n");
    pc::test::write_file(dir / "mounts", "/dev/a / ext4 rw 0 0\nproc /proc proc rw 0 0\n");
    auto o = options(dir.path(), {"statfs[*]"});
    o.statfs = fake_statfs({{"/", FsStats{4096, 3, 2, 1}},
                            {"/data", FsStats{512, 9, 8, 7}},
                            {"/proc", FsStats{4096, 0, 0, 0}}});
    Sampler sampler(o);
    const std::string root_line =
        "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":3,\"blocks_free\":2,"
        "\"blocks_available\":1}\n";
    const std::string data_line =
        "{\"mount_point\":\"/data\",\"block_size\":512,\"blocks_total\":9,\"blocks_free\":8,"
        "\"blocks_available\":7}\n";
    const std::string proc_line =
        "{\"mount_point\":\"/proc\",\"block_size\":4096,\"blocks_total\":0,\"blocks_free\":0,"
        "\"blocks_available\":0}\n";
    EXPECT_EQ(sampler.statfs_measurement(), root_line);
    EXPECT_EQ(sampler.statfs_measurement(), root_line);  // unchanged table: same answer

    // A mount appears.
    pc::test::write_file(
        dir / "mounts", "/dev/a / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/c /data ext4 rw 0 0\n");
    EXPECT_EQ(sampler.statfs_measurement(), root_line + data_line);

    // The filesystems list changes alone: proc now counts as a device filesystem.
    pc::test::write_file(dir / "filesystems", "\tproc\n\text4\n");
    EXPECT_EQ(sampler.statfs_measurement(), root_line + proc_line + data_line);

    // A mount goes away.
    pc::test::write_file(dir / "filesystems", "nodev\tproc\n\text4\n");
    pc::test::write_file(dir / "mounts", "/dev/c /data ext4 rw 0 0\n");
    EXPECT_EQ(sampler.statfs_measurement(), data_line);
}
