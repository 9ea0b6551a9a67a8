#include "pc/procfs/net_dev.hpp"

#include <gtest/gtest.h>

using pc::procfs::NetDevice;
using pc::procfs::parse_net_dev;

namespace {
const char* kText =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:  100   2    0    0    0     0          0         0   100   2    0    0    0     0     "
    "  0          0\n"
    "enp0s5: 875638575 92533 1 2 3 4 5 6 4113149 32643 7 8 9 10 11 12\n";
}

TEST(ParseNetDev, NamesAndSixteenCounters) {
    std::vector<NetDevice> devs;
    auto st = parse_net_dev(kText, devs);
    ASSERT_TRUE(st) << st.message;
    ASSERT_EQ(devs.size(), 2u);
    EXPECT_EQ(devs[0].name, "lo");
    EXPECT_EQ(devs[1].name, "enp0s5");
    EXPECT_EQ(devs[1][NetDevice::rx_bytes], 875638575u);
    EXPECT_EQ(devs[1][NetDevice::rx_packets], 92533u);
    EXPECT_EQ(devs[1][NetDevice::rx_compressed], 5u);
    EXPECT_EQ(devs[1][NetDevice::rx_multicast], 6u);
    EXPECT_EQ(devs[1][NetDevice::tx_bytes], 4113149u);
    EXPECT_EQ(devs[1][NetDevice::tx_packets], 32643u);
    EXPECT_EQ(devs[1][NetDevice::tx_compressed], 12u);
}

TEST(ParseNetDev, ReuseShrinksAndErrorsNameTheLine) {
    std::vector<NetDevice> devs;
    ASSERT_TRUE(parse_net_dev(kText, devs));
    ASSERT_TRUE(parse_net_dev("h1\nh2\neth0: 1 2\n", devs));
    ASSERT_EQ(devs.size(), 1u);
    EXPECT_EQ(devs[0][NetDevice::rx_packets], 2u);
    EXPECT_EQ(devs[0][NetDevice::tx_bytes], 0u);
    auto st = parse_net_dev("h1\nh2\neth0 1 2\n", devs);
    ASSERT_FALSE(st);
    EXPECT_NE(st.message.find("line 3"), std::string::npos);
    EXPECT_FALSE(parse_net_dev("h1\nh2\neth0: 1 -2\n", devs));
}
