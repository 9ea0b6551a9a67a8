// /proc/cpuinfo of architectures without x86's "processor : N" blocks (issue 18, item 5): texts
// written here in the kernels' formats (arch/s390/kernel/processor.c, arch/arm of 3.x kernels).
#include <gtest/gtest.h>

#include "pc/procfs/cpuinfo.hpp"
#include "pc/procfs/uptime.hpp"

using namespace pc::procfs;

TEST(ParseCpuinfoArch, S390CountsItsNumberedProcessorLines) {
    CpuInfoSummary c;
    auto st = parse_cpuinfo(
        "vendor_id       : IBM/S390\n"
        "# processors    : 3\n"
        "bogomips per cpu: 3241.00\n"
        "max thread id   : 0\n"
        "features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx\n"
        "cache0          : level=1 type=Data scope=Private size=128K line_size=256 "
        "associativity=8\n"
        "processor 0: version = 00,  identification = 1A2B3C,  machine = 3906\n"
        "processor 1: version = 00,  identification = 1A2B3C,  machine = 3906\n"
        "processor 2: version = 00,  identification = 1A2B3C,  machine = 3906\n"
        "\n"
        "cpu number      : 0\n"
        "cpu MHz dynamic : 5208\n"
        "cpu MHz static  : 5208\n",
        c);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(c.total_cpus, 3);
    EXPECT_EQ(c.vendor_id, "IBM/S390");
}

TEST(ParseCpuinfoArch, S390WithoutProcessorLinesUsesItsCount) {
    CpuInfoSummary c;
    ASSERT_TRUE(parse_cpuinfo("vendor_id       : IBM/S390\n# processors    : 2\n", c));
    EXPECT_EQ(c.total_cpus, 2);
}

TEST(ParseCpuinfoArch, SingleCpuArmV6IsOneCpu) {
    CpuInfoSummary c;
    auto st = parse_cpuinfo(
        "Processor\t: ARMv6-compatible processor rev 7 (v6l)\n"
        "BogoMIPS\t: 697.95\n"
        "Features\t: swp half thumb fastmult vfp edsp java tls \n"
        "CPU implementer\t: 0x41\n"
        "CPU architecture: 7\n"
        "CPU variant\t: 0x0\n"
        "CPU part\t: 0xb76\n"
        "CPU revision\t: 7\n"
        "\n"
        "Hardware\t: BCM2708\n"
        "Revision\t: 000e\n",
        c);
    ASSERT_TRUE(st) << st.message;
    EXPECT_EQ(c.total_cpus, 1);
    EXPECT_EQ(c.bogomips, 697.95);
}

TEST(ParseCpuinfoArch, OldArmV7WithNumberedBlocksCountsThem) {
    CpuInfoSummary c;
    ASSERT_TRUE(
        parse_cpuinfo("Processor\t: ARMv7 Processor rev 4 (v7l)\nprocessor\t: 0\n"
                      "BogoMIPS\t: 38.40\n\nprocessor\t: 1\nBogoMIPS\t: 38.40\n\n",
                      c));
    EXPECT_EQ(c.total_cpus, 2);
}

TEST(ParseUptime, CentisecondsExactly) {
    Uptime u;
    ASSERT_TRUE(parse_uptime("10965.27 20170.54\n", u));
    EXPECT_EQ(u.uptime_cs, 1096527u);
    ASSERT_TRUE(parse_uptime("5.3 1.00\n", u));
    EXPECT_EQ(u.uptime_cs, 530u);
    ASSERT_TRUE(parse_uptime("42\n", u));
    EXPECT_EQ(u.uptime_cs, 4200u);
    for (const char* bad :
         {"", "\n", "x.10 1", "1.234 5", "1. 2", "-1.00 2", "184467440737095517.00 0"}) {
        EXPECT_FALSE(parse_uptime(bad, u)) << bad;
    }
}
