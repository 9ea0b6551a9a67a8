#include "pc/core/byte_size.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

using pc::core::format_byte_size;
using pc::core::parse_byte_size;

TEST(ByteSize, ParsesUnits) {
    EXPECT_EQ(pc::core::parse_byte_size("1048576"), 1048576u);
    EXPECT_EQ(pc::core::parse_byte_size("256MiB"), 256ull << 20);
    EXPECT_EQ(pc::core::parse_byte_size("64M"), 64ull << 20);
    EXPECT_EQ(pc::core::parse_byte_size("64m"), 64ull << 20);
    EXPECT_EQ(pc::core::parse_byte_size("2G"), 2ull << 30);
    EXPECT_EQ(pc::core::parse_byte_size("512KiB"), 512ull << 10);
    EXPECT_EQ(pc::core::parse_byte_size("10MB"), 10'000'000u);
    EXPECT_EQ(pc::core::parse_byte_size("100B"), 100u);
    EXPECT_EQ(pc::core::parse_byte_size("1TiB"), 1ull << 40);
}

TEST(ByteSize, RejectsMalformed) {
    for (const char* bad :
         {"", "M", "-1", "1.5M", "12 MiB", "10XB", "99999999999999999999", "20000000000000T"}) {
        EXPECT_FALSE(pc::core::parse_byte_size(bad).has_value()) << bad;
    }
}

TEST(ByteSize, ErrorNamesVariableAndExample) {
    try {
        pc::core::parse_byte_size_or_throw("lots", "PCC_SPOOL_MAX");
        FAIL();
    } catch (const pc::core::UserError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("PCC_SPOOL_MAX"), std::string::npos);
        EXPECT_NE(msg.find("256MiB"), std::string::npos);
    }
}

TEST(ByteSize, Formats) {
    EXPECT_EQ(pc::core::format_byte_size(256ull << 20), "256MiB");
    EXPECT_EQ(pc::core::format_byte_size(1000), "1000B");
    EXPECT_EQ(pc::core::format_byte_size(3ull << 30), "3GiB");
}
