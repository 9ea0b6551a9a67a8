#include "pc/collect/subsystems.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

using pc::collect::parse_subsystems;
using Names = std::vector<std::string>;

TEST(Subsystems, DefaultIsTheOriginalsSet) {
    EXPECT_EQ(parse_subsystems("default", "PCC_SUBSYSTEMS"),
              (Names{"/proc/cpuinfo", "/proc/stat", "/proc/meminfo", "/proc/net/dev",
                     "/proc/diskstats", "statfs[*]"}));
}

TEST(Subsystems, ExtrasComeAfterTheOriginalsInTickOrder) {
    EXPECT_EQ(parse_subsystems("/proc/loadavg, default ,/proc/vmstat", "PCC_SUBSYSTEMS"),
              (Names{"/proc/cpuinfo", "/proc/stat", "/proc/meminfo", "/proc/net/dev",
                     "/proc/diskstats", "statfs[*]", "/proc/vmstat", "/proc/loadavg"}));
}

TEST(Subsystems, UptimeIsOptionalAndComesBeforeStat) {
    // Not in "default": the original's processor stops on a subsystem it does not know.
    EXPECT_EQ(parse_subsystems("default,/proc/uptime", "PCC_SUBSYSTEMS"),
              (Names{"/proc/cpuinfo", "/proc/uptime", "/proc/stat", "/proc/meminfo",
                     "/proc/net/dev", "/proc/diskstats", "statfs[*]"}));
}

TEST(Subsystems, SubsetIsReorderedAndDeduplicated) {
    EXPECT_EQ(parse_subsystems("statfs[*],/proc/stat,/proc/stat", "PCC_SUBSYSTEMS"),
              (Names{"/proc/stat", "statfs[*]"}));
}

TEST(Subsystems, UnknownOrEmptyIsAnErrorNamingTheVariable) {
    for (const char* bad : {"/proc/bogus", "stat", ",", ""}) {
        try {
            parse_subsystems(bad, "PCC_SUBSYSTEMS");
            FAIL() << bad;
        } catch (const pc::core::UserError& e) {
            std::string msg = e.what();
            EXPECT_EQ(msg.rfind("PCC_SUBSYSTEMS:", 0), 0u) << msg;
            EXPECT_EQ(msg.find('\n'), std::string::npos);
        }
    }
}

TEST(Subsystems, ProcRelativePath) {
    EXPECT_EQ(pc::collect::proc_relative_path("/proc/net/dev"), "net/dev");
    EXPECT_EQ(pc::collect::proc_relative_path("statfs[*]"), "");
}
