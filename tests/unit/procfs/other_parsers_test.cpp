// cpuinfo, vmstat, loadavg and the statfs payload.
#include <gtest/gtest.h>

#include "pc/procfs/cpuinfo.hpp"
#include "pc/procfs/loadavg.hpp"
#include "pc/procfs/statfs.hpp"
#include "pc/procfs/vmstat.hpp"

using namespace pc::procfs;

TEST(ParseCpuinfo, FirstBlockValuesAndCountsOverAllBlocks) {
    CpuInfoSummary c;
    auto st = parse_cpuinfo(
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.60GHz\n"
        "cpu MHz\t\t: 2600.114\ncache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: 4\n"
        "cpu cores\t: 2\nflags\t\t: fpu vme de\nbogomips\t: 5187.81\npower management:\n\n"
        "processor\t: 1\nvendor_id\t: Other\ncpu MHz\t\t: 1.0\nphysical id\t: 0\n\n"
        "processor\t: 2\nphysical id\t: 1\n\n",
        c);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(c.vendor_id, "GenuineIntel");
    EXPECT_EQ(c.model_name, "Intel(R) Xeon(R) CPU @ 2.60GHz");
    EXPECT_EQ(c.cpu_cores, 2);
    EXPECT_EQ(c.siblings, 4);
    EXPECT_EQ(c.cpu_mhz, 2600.114);
    EXPECT_EQ(c.cache_size, "36608 KB");
    EXPECT_EQ(c.total_cpus, 3);
    EXPECT_EQ(c.physical_cpus, 2);
    EXPECT_EQ(c.bogomips, 5187.81);
    EXPECT_EQ(c.flags, "fpu vme de");
}

TEST(ParseCpuinfo, MissingKeysStayEmptyAndBadNumbersFail) {
    CpuInfoSummary c;
    ASSERT_TRUE(parse_cpuinfo("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n", c));
    EXPECT_EQ(c.vendor_id, "");
    EXPECT_EQ(c.cpu_cores, 0);
    EXPECT_EQ(c.bogomips, 50.0);
    EXPECT_EQ(c.flags, "fp asimd");
    EXPECT_EQ(c.physical_cpus, 0);
    EXPECT_FALSE(parse_cpuinfo("processor\t: 0\ncpu cores\t: two\n", c));
}

TEST(ParseVmstat, SarSumsOfScanAndSteal) {
    VmStat v;
    auto st = parse_vmstat(
        "nr_free_pages 100\npgpgin 10\npgpgout 20\npgfault 30\npgmajfault 4\npgfree 50\n"
        "pgscan_kswapd 6\npgscan_direct 7\npgscan_direct_throttle 1000\npgsteal_kswapd 8\n"
        "pgsteal_direct 9\npgsteal_anon 500\npgscan_kswapd_dma 1\n",
        v);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(v.pgpgin, 10u);
    EXPECT_EQ(v.pgpgout, 20u);
    EXPECT_EQ(v.pgfault, 30u);
    EXPECT_EQ(v.pgmajfault, 4u);
    EXPECT_EQ(v.pgfree, 50u);
    EXPECT_EQ(v.pgscan_kswapd, 6u + 1);
    EXPECT_EQ(v.pgscan_direct, 7u);
    EXPECT_EQ(v.pgsteal, 8u + 9);
    EXPECT_FALSE(parse_vmstat("pgpgin ten\n", v));
}

TEST(ParseLoadavg, AllFieldsAndErrors) {
    LoadAvg l;
    ASSERT_TRUE(parse_loadavg("0.52 0.58 1.5 2/345 12345\n", l));
    EXPECT_EQ(l.load1, 0.52);
    EXPECT_EQ(l.load5, 0.58);
    EXPECT_EQ(l.load15, 1.5);
    EXPECT_EQ(l.runnable, 2u);
    EXPECT_EQ(l.entities, 345u);
    EXPECT_EQ(l.last_pid, 12345u);
    EXPECT_FALSE(parse_loadavg("0.52 0.58\n", l));
    EXPECT_FALSE(parse_loadavg("0.52 0.58 0.1 2-345 1\n", l));
}

// Quoted input never breaks an error message over lines or into raw control bytes.
TEST(ParseLoadavg, ErrorQuotesControlBytesEscaped) {
    LoadAvg l;
    auto status = parse_loadavg(std::string_view("1\n2\r\x1b\\ \xff", 8), l);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.message.find('\n'), std::string::npos) << status.message;
    EXPECT_EQ(status.message.find('\r'), std::string::npos) << status.message;
    EXPECT_EQ(status.message.find('\x1b'), std::string::npos) << status.message;
    EXPECT_NE(status.message.find("'1\\x0a2\\x0d\\x1b\\x5c \\xff'"), std::string::npos)
        << status.message;
}

TEST(ParseStatfs, CanonicalAnyOrderEscapesAndErrors) {
    std::vector<FsStat> fs;
    auto st = parse_statfs(
        "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":9301568,\"blocks_free\":"
        "5874717,\"blocks_available\":5874698}\n"
        "{\"block_size\":2048,\"mount_point\":\"/mnt/a \\\"b\\\"\",\"blocks_total\":3,"
        "\"blocks_free\":2,\"blocks_available\":1}\n\n",
        fs);
    ASSERT_TRUE(st) << st.message;
    ASSERT_EQ(fs.size(), 2u);
    EXPECT_EQ(fs[0].mount_point, "/");
    EXPECT_EQ(fs[0].block_size, 4096u);
    EXPECT_EQ(fs[0].blocks_total, 9301568u);
    EXPECT_EQ(fs[0].blocks_free, 5874717u);
    EXPECT_EQ(fs[0].blocks_available, 5874698u);
    EXPECT_EQ(fs[1].mount_point, "/mnt/a \"b\"");
    EXPECT_EQ(fs[1].block_size, 2048u);
    auto bad = parse_statfs("{\"mount_point\":\"/\"}\n", fs);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.message.find("line 1"), std::string::npos);
    EXPECT_FALSE(parse_statfs("not json\n", fs));
}
