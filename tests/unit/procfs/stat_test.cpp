#include "pc/procfs/stat.hpp"

#include <gtest/gtest.h>

using pc::procfs::CpuJiffies;
using pc::procfs::parse_stat;
using pc::procfs::StatSample;

TEST(ParseStat, AggregatePerCpuBtimeAndProcs) {
    StatSample s;
    auto st = parse_stat(
        "cpu  35757 289 6634 310984 12369 0 44 231 0 0\n"
        "cpu0 7891 156 3201 165781 5951 0 23 148 0 0\n"
        "cpu1 27865 132 3432 145203 6418 0 20 82 0 0\n"
        "intr 1124282 23 9 0 0\n"
        "ctxt 1285206\nbtime 1767798686\nprocesses 48329\nprocs_running 4\nprocs_blocked 1\n",
        s);
    ASSERT_TRUE(st) << st.message;
    ASSERT_TRUE(s.has_total);
    EXPECT_EQ(s.total[CpuJiffies::user], 35757u);
    EXPECT_EQ(s.total[CpuJiffies::steal], 231u);
    EXPECT_EQ(s.total.total(), 35757u + 289 + 6634 + 310984 + 12369 + 0 + 44 + 231);
    ASSERT_EQ(s.cpus.size(), 2u);
    EXPECT_EQ(s.cpus[1][CpuJiffies::idle], 145203u);
    EXPECT_EQ(s.online_cpus(), 2u);
    EXPECT_TRUE(s.has_btime);
    EXPECT_EQ(s.btime, 1767798686u);
    EXPECT_EQ(s.procs_running, 4u);
    EXPECT_EQ(s.procs_blocked, 1u);
}

TEST(ParseStat, MissingTrailingFieldsAreZeroAndGapsAreAbsentCpus) {
    StatSample s;
    ASSERT_TRUE(parse_stat("cpu 1 2 3 4\ncpu0 1 2 3 4\ncpu2 5 6 7 8 9\n", s));
    EXPECT_EQ(s.total[CpuJiffies::iowait], 0u);
    EXPECT_EQ(s.total[CpuJiffies::guest_nice], 0u);
    ASSERT_EQ(s.cpus.size(), 3u);
    EXPECT_TRUE(s.present[0]);
    EXPECT_FALSE(s.present[1]);
    EXPECT_TRUE(s.present[2]);
    EXPECT_EQ(s.cpus[2][CpuJiffies::iowait], 9u);
    EXPECT_EQ(s.online_cpus(), 2u);
}

TEST(ParseStat, BadNumberNamesTheLine) {
    StatSample s;
    auto st = parse_stat("cpu 1 2 3 4\ncpu0 1 x 3 4\n", s);
    ASSERT_FALSE(st);
    EXPECT_NE(st.message.find("line 2"), std::string::npos) << st.message;
    EXPECT_NE(st.message.find("'x'"), std::string::npos) << st.message;
    EXPECT_FALSE(parse_stat("cpuX 1 2 3\n", s));
}

TEST(ParseStat, ReusedSampleIsCleared) {
    StatSample s;
    ASSERT_TRUE(parse_stat("cpu 1 2 3 4\ncpu0 1 2 3 4\ncpu1 1 2 3 4\nbtime 5\n", s));
    ASSERT_TRUE(parse_stat("cpu 1 2 3 4\ncpu0 1 2 3 4\n", s));
    EXPECT_EQ(s.cpus.size(), 1u);
    EXPECT_FALSE(s.has_btime);
}
