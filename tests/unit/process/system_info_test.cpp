#include "pc/process/system_info.hpp"

#include <gtest/gtest.h>

TEST(SystemInfo, MarshalIndentLayout) {
    pc::procfs::CpuInfoSummary c;
    c.vendor_id = "GenuineIntel";
    c.model_name = "Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz";
    c.cpu_cores = 2;
    c.siblings = 4;
    c.cpu_mhz = 2600.000;
    c.cache_size = "36608 KB";
    c.total_cpus = 4;
    c.physical_cpus = 1;
    c.bogomips = 5187.81;
    c.flags = "fpu vme <x> & y";
    EXPECT_EQ(pc::process::render_system_info(c),
              "{\n"
              "  \"vendor_id\": \"GenuineIntel\",\n"
              "  \"model_name\": \"Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz\",\n"
              "  \"cpu_cores\": 2,\n"
              "  \"siblings\": 4,\n"
              "  \"cpu_mhz\": 2600,\n"
              "  \"cache_size\": \"36608 KB\",\n"
              "  \"total_cpus\": 4,\n"
              "  \"physical_cpus\": 1,\n"
              "  \"bogomips\": 5187.81,\n"
              "  \"flags\": \"fpu vme \\u003cx\\u003e \\u0026 y\"\n"
              "}\n");
}

// Issue 18, item 5: system_info.json of a single-CPU ARMv6 (no "processor : N" line) said
// total_cpus 0.
TEST(SystemInfo, SingleCpuArmV6CountsOneCpu) {
    pc::procfs::CpuInfoSummary c;
    ASSERT_TRUE(pc::procfs::parse_cpuinfo(
        "Processor\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 697.95\n"
        "Features\t: swp half thumb fastmult vfp edsp java tls \n\nHardware\t: BCM2708\n",
        c));
    auto json = pc::process::render_system_info(c);
    EXPECT_NE(json.find("\"total_cpus\": 1,"), std::string::npos) << json;
    EXPECT_NE(json.find("\"bogomips\": 697.95,"), std::string::npos) << json;
}
