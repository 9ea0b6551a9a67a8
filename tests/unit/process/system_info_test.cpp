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
