// Every /proc parser against the files we recorded on a real 2-vCPU VM
// (testdata/procroot-vm2cpu). The expected numbers are copied from those files by hand, so a
// parser that skips, shifts or mis-reads a field of real kernel output fails here.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "pc/procfs/cpuinfo.hpp"
#include "pc/procfs/diskstats.hpp"
#include "pc/procfs/loadavg.hpp"
#include "pc/procfs/meminfo.hpp"
#include "pc/procfs/net_dev.hpp"
#include "pc/procfs/stat.hpp"
#include "pc/procfs/vmstat.hpp"
#include "test_support.hpp"

using namespace pc::procfs;

namespace {

std::string fixture(const std::string& name) {
    const auto path = pc::test::source_dir() / "testdata" / "procroot-vm2cpu" / name;
    std::string text = pc::test::read_file(path);
    EXPECT_FALSE(text.empty()) << path;
    return text;
}

}  // namespace

TEST(RecordedFixture, Stat) {
    StatSample s;
    auto st = parse_stat(fixture("stat"), s);
    ASSERT_TRUE(st) << st.message;

    // cpu  233684 24604 25351 809030 765 0 329 88 0 0
    ASSERT_TRUE(s.has_total);
    const std::array<std::uint64_t, CpuJiffies::count> total = {233684, 24604, 25351, 809030, 765,
                                                                0,      329,   88,    0,      0};
    EXPECT_EQ(s.total.v, total);
    EXPECT_EQ(s.total[CpuJiffies::user], 233684u);
    EXPECT_EQ(s.total[CpuJiffies::system], 25351u);
    EXPECT_EQ(s.total[CpuJiffies::idle], 809030u);
    EXPECT_EQ(s.total.total(), 233684u + 24604 + 25351 + 809030 + 765 + 0 + 329 + 88);

    ASSERT_EQ(s.cpus.size(), 2u);
    ASSERT_EQ(s.present.size(), 2u);
    EXPECT_TRUE(s.present[0]);
    EXPECT_TRUE(s.present[1]);
    EXPECT_EQ(s.online_cpus(), 2u);
    // cpu0 118134 11591 11401 405850 62 0 11 41 0 0
    const std::array<std::uint64_t, CpuJiffies::count> cpu0 = {118134, 11591, 11401, 405850, 62,
                                                               0,      11,    41,    0,      0};
    EXPECT_EQ(s.cpus[0].v, cpu0);
    // cpu1 115550 13013 13949 403180 702 0 318 47 0 0
    const std::array<std::uint64_t, CpuJiffies::count> cpu1 = {115550, 13013, 13949, 403180, 702,
                                                               0,      318,   47,    0,      0};
    EXPECT_EQ(s.cpus[1].v, cpu1);

    EXPECT_TRUE(s.has_btime);
    EXPECT_EQ(s.btime, 1795320635u);
    EXPECT_TRUE(s.has_procs);
    EXPECT_EQ(s.procs_running, 9u);
    EXPECT_EQ(s.procs_blocked, 0u);
}

TEST(RecordedFixture, Meminfo) {
    MemInfo m;
    auto st = parse_meminfo(fixture("meminfo"), m);
    ASSERT_TRUE(st) << st.message;
    EXPECT_TRUE(m.has_mem_total);
    EXPECT_EQ(m.mem_total, 24684084u);
    EXPECT_EQ(m.mem_free, 20195320u);
    EXPECT_EQ(m.mem_available, 22780016u);
    EXPECT_EQ(m.buffers, 11784u);
    EXPECT_EQ(m.cached, 2737480u);
    EXPECT_EQ(m.slab, 178564u);
    EXPECT_EQ(m.committed_as, 1488372u);
    EXPECT_EQ(m.swap_total, 0u);
    // "Active:" and "Inactive:", not "Active(anon):" (1684) or "Inactive(file):" (1322404).
    EXPECT_EQ(m.active, 1419672u);
    EXPECT_EQ(m.inactive, 2649656u);
    EXPECT_EQ(m.dirty, 78492u);
}

TEST(RecordedFixture, NetDev) {
    std::vector<NetDevice> devs;
    auto st = parse_net_dev(fixture("net/dev"), devs);
    ASSERT_TRUE(st) << st.message;
    ASSERT_EQ(devs.size(), 4u);

    struct Expected {
        const char* name;
        std::uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
    };
    const Expected expected[] = {
        {"lo", 4193486, 5010, 4193486, 5010},
        {"ifb0", 0, 0, 0, 0},
        {"ifb1", 0, 0, 0, 0},
        {"eth0", 29503074, 855, 39197, 495},
    };
    for (std::size_t i = 0; i < devs.size(); ++i) {
        SCOPED_TRACE(expected[i].name);
        EXPECT_EQ(devs[i].name, expected[i].name);
        EXPECT_EQ(devs[i][NetDevice::rx_bytes], expected[i].rx_bytes);
        EXPECT_EQ(devs[i][NetDevice::rx_packets], expected[i].rx_packets);
        EXPECT_EQ(devs[i][NetDevice::tx_bytes], expected[i].tx_bytes);
        EXPECT_EQ(devs[i][NetDevice::tx_packets], expected[i].tx_packets);
        // Every error, drop, fifo, frame, compressed, multicast, colls and carrier counter of
        // this recording is 0.
        for (auto f : {NetDevice::rx_errs, NetDevice::rx_drop, NetDevice::rx_fifo,
                       NetDevice::rx_frame, NetDevice::rx_compressed, NetDevice::rx_multicast,
                       NetDevice::tx_errs, NetDevice::tx_drop, NetDevice::tx_fifo,
                       NetDevice::tx_colls, NetDevice::tx_carrier, NetDevice::tx_compressed}) {
            EXPECT_EQ(devs[i][f], 0u) << "field " << f;
        }
    }
}

TEST(RecordedFixture, Diskstats) {
    std::vector<DiskDevice> disks;
    auto st = parse_diskstats(fixture("diskstats"), disks);
    ASSERT_TRUE(st) << st.message;
    // loop0..loop7, vda, zram0.
    ASSERT_EQ(disks.size(), 10u);
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(disks[i].name, "loop" + std::to_string(i));
        EXPECT_EQ(disks[i].major, 7u);
        EXPECT_EQ(disks[i].minor, i);
        EXPECT_TRUE(disks[i].unused()) << disks[i].name;
    }

    // 254 0 vda 106486 14409 6565186 37895 716674 232652 38512752 388556 0 35776 440416
    //           22220 91 29022584 8647 37766 5315
    const DiskDevice& vda = disks[8];
    EXPECT_EQ(vda.name, "vda");
    EXPECT_EQ(vda.major, 254u);
    EXPECT_EQ(vda.minor, 0u);
    const std::array<std::uint64_t, DiskDevice::count> counters = {
        106486, 14409,  6565186, 37895, 716674,   232652, 38512752, 388556, 0,
        35776,  440416, 22220,   91,    29022584, 8647,   37766,    5315};
    EXPECT_EQ(vda.v, counters);
    EXPECT_EQ(vda[DiskDevice::rd_ios], 106486u);
    EXPECT_EQ(vda[DiskDevice::rd_sectors], 6565186u);
    EXPECT_EQ(vda[DiskDevice::wr_ios], 716674u);
    EXPECT_EQ(vda[DiskDevice::wr_sectors], 38512752u);
    EXPECT_EQ(vda[DiskDevice::dc_sectors], 29022584u);
    EXPECT_EQ(vda[DiskDevice::fl_ticks], 5315u);
    EXPECT_FALSE(vda.unused());

    EXPECT_EQ(disks[9].name, "zram0");
    EXPECT_EQ(disks[9].major, 253u);
    EXPECT_EQ(disks[9].minor, 0u);
    EXPECT_TRUE(disks[9].unused());
}

TEST(RecordedFixture, Cpuinfo) {
    CpuInfoSummary c;
    auto st = parse_cpuinfo(fixture("cpuinfo"), c);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(c.vendor_id, "GenuineIntel");
    EXPECT_EQ(c.model_name, "Intel(R) Xeon(R) Processor");
    EXPECT_EQ(c.cpu_cores, 2);
    EXPECT_EQ(c.siblings, 2);
    EXPECT_EQ(c.cpu_mhz, 2599.998);
    EXPECT_EQ(c.cache_size, "491520 KB");
    EXPECT_EQ(c.total_cpus, 2);
    EXPECT_EQ(c.physical_cpus, 1);
    EXPECT_EQ(c.bogomips, 5199.99);
    // The first and last words of the first block's "flags" line, and its word count.
    ASSERT_FALSE(c.flags.empty());
    EXPECT_TRUE(c.flags.starts_with("fpu vme de pse tsc msr ")) << c.flags;
    EXPECT_TRUE(c.flags.ends_with(" amx_int8 arch_capabilities")) << c.flags;
    std::size_t words = 1;
    for (char ch : c.flags) words += ch == ' ';
    EXPECT_EQ(words, 108u);
}

TEST(RecordedFixture, Vmstat) {
    VmStat v;
    auto st = parse_vmstat(fixture("vmstat"), v);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(v.pgpgin, 3282593u);
    EXPECT_EQ(v.pgpgout, 19256396u);
    EXPECT_EQ(v.pgfault, 64425882u);
    EXPECT_EQ(v.pgmajfault, 3659u);
    EXPECT_EQ(v.pgfree, 68788021u);
    // pgscan_kswapd, pgscan_direct, pgsteal_kswapd and pgsteal_direct are all 0 on this VM.
    EXPECT_EQ(v.pgscan_kswapd, 0u);
    EXPECT_EQ(v.pgscan_direct, 0u);
    EXPECT_EQ(v.pgsteal, 0u);
}

TEST(RecordedFixture, Loadavg) {
    LoadAvg l;
    // 8.91 9.21 7.51 7/148 26806
    auto st = parse_loadavg(fixture("loadavg"), l);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(l.load1, 8.91);
    EXPECT_EQ(l.load5, 9.21);
    EXPECT_EQ(l.load15, 7.51);
    EXPECT_EQ(l.runnable, 7u);
    EXPECT_EQ(l.entities, 148u);
    EXPECT_EQ(l.last_pid, 26806u);
}
