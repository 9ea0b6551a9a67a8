#include "pc/procfs/diskstats.hpp"

#include <gtest/gtest.h>

using pc::procfs::DiskDevice;
using pc::procfs::parse_diskstats;

TEST(ParseDiskstats, FieldsShortLinesAndUnusedDevices) {
    std::vector<DiskDevice> d;
    auto st = parse_diskstats(
        "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        "   8       0 sda 119395 10 6234260 20 15012 30 8339924 40 0 50 60 7 0 88 0 9 1\n"
        "   8       1 sda1 1 2 3 4 5 6 7 8 9 10\n"      // 13 fields: ignored
        "   8       2 sda2 1 2 3 4 5 6 7 8 9 10 11\n",  // 14 fields: kept, the rest 0
        d);
    ASSERT_TRUE(st) << st.message;
    ASSERT_EQ(d.size(), 3u);
    EXPECT_TRUE(d[0].unused());
    EXPECT_EQ(d[1].name, "sda");
    EXPECT_EQ(d[1].major, 8u);
    EXPECT_EQ(d[1][DiskDevice::rd_ios], 119395u);
    EXPECT_EQ(d[1][DiskDevice::rd_sectors], 6234260u);
    EXPECT_EQ(d[1][DiskDevice::wr_ios], 15012u);
    EXPECT_EQ(d[1][DiskDevice::wr_sectors], 8339924u);
    EXPECT_EQ(d[1][DiskDevice::dc_ios], 7u);
    EXPECT_EQ(d[1][DiskDevice::dc_sectors], 88u);
    EXPECT_EQ(d[1][DiskDevice::fl_ticks], 1u);
    EXPECT_FALSE(d[1].unused());
    EXPECT_EQ(d[2].name, "sda2");
    EXPECT_EQ(d[2][DiskDevice::weighted_ticks], 11u);
    EXPECT_EQ(d[2][DiskDevice::dc_ios], 0u);
}

TEST(ParseDiskstats, BadCounterFails) {
    std::vector<DiskDevice> d;
    auto st = parse_diskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 z\n", d);
    ASSERT_FALSE(st);
    EXPECT_NE(st.message.find("line 1"), std::string::npos);
    EXPECT_TRUE(d.empty());
}

// Counters are plain decimal digits up to 2^64-1: signs, spaces inside, letters, hex and
// anything past the maximum are refused, as with std::from_chars.
TEST(ParseDiskstats, CountersAreDecimalDigitsUpToUint64Max) {
    auto line = [](const std::string& counter) {
        return "   8       0 sda " + counter + " 0 0 0 0 0 0 0 0 0 0\n";
    };
    std::vector<DiskDevice> d;
    for (const char* ok : {"0", "007", "18446744073709551615", "4294967296"}) {
        ASSERT_TRUE(parse_diskstats(line(ok), d)) << ok;
        ASSERT_EQ(d.size(), 1u);
        EXPECT_EQ(d[0][DiskDevice::rd_ios], std::stoull(ok)) << ok;
    }
    for (const char* bad : {"18446744073709551616", "99999999999999999999", "184467440737095516150",
                            "+1", "-1", "1a", "0x10", "1.5", "\xd9\xa1"}) {
        const auto st = parse_diskstats(line(bad), d);
        EXPECT_FALSE(st) << bad;
        EXPECT_NE(st.message.find("non-numeric counter"), std::string::npos) << st.message;
        EXPECT_TRUE(d.empty()) << bad;
    }
}
