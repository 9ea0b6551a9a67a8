#include "pc/procfs/meminfo.hpp"

#include <gtest/gtest.h>

using pc::procfs::MemInfo;
using pc::procfs::parse_meminfo;

TEST(ParseMeminfo, KnownKeysExactlyAndOthersIgnored) {
    MemInfo m;
    auto st = parse_meminfo(
        "MemTotal:        3707644 kB\nMemFree:         1221336 kB\nMemAvailable:    3012800 kB\n"
        "Buffers:              28 kB\nCached:          1983700 kB\nSwapCached:        21624 kB\n"
        "Active:           803888 kB\nInactive:        1380900 kB\nActive(anon):     100 kB\n"
        "SwapTotal:       5804024 kB\nDirty:               424 kB\nSlab:             136652 kB\n"
        "SReclaimable:      66428 kB\nCommitted_AS:    3123392 kB\nHugePages_Total:       0\n",
        m);
    ASSERT_TRUE(st) << st.message;
    EXPECT_TRUE(m.has_mem_total);
    EXPECT_EQ(m.mem_total, 3707644u);
    EXPECT_EQ(m.mem_free, 1221336u);
    EXPECT_EQ(m.mem_available, 3012800u);
    EXPECT_EQ(m.buffers, 28u);
    EXPECT_EQ(m.cached, 1983700u);
    EXPECT_EQ(m.active, 803888u);  // not Active(anon)
    EXPECT_EQ(m.inactive, 1380900u);
    EXPECT_EQ(m.swap_total, 5804024u);
    EXPECT_EQ(m.dirty, 424u);
    EXPECT_EQ(m.slab, 136652u);
    EXPECT_EQ(m.committed_as, 3123392u);
}

TEST(ParseMeminfo, MissingKeysAreZeroAndBadValuesFail) {
    MemInfo m;
    ASSERT_TRUE(parse_meminfo("MemFree: 5 kB\n", m));
    EXPECT_FALSE(m.has_mem_total);
    EXPECT_EQ(m.mem_total, 0u);
    auto st = parse_meminfo("MemTotal: 1 kB\nMemFree: lots kB\n", m);
    ASSERT_FALSE(st);
    EXPECT_NE(st.message.find("line 2"), std::string::npos);
}
