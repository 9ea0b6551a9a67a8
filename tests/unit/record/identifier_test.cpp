#include "pc/record/identifier.hpp"

#include <gtest/gtest.h>

#include <string>

TEST(Identifier, Rules) {
    EXPECT_TRUE(pc::record::valid_identifier("d2da98c4b4f5454cbdb311f4701ad1a1"));
    EXPECT_TRUE(pc::record::valid_identifier("web-01.example_com"));
    EXPECT_TRUE(pc::record::valid_identifier(std::string(128, 'a')));
    EXPECT_FALSE(pc::record::valid_identifier(std::string(129, 'a')));
    EXPECT_FALSE(pc::record::valid_identifier(""));
    EXPECT_FALSE(pc::record::valid_identifier(".hidden"));
    EXPECT_FALSE(pc::record::valid_identifier(".."));
    EXPECT_FALSE(pc::record::valid_identifier("a/b"));
    EXPECT_FALSE(pc::record::valid_identifier(std::string("a\0b", 3)));
    EXPECT_FALSE(pc::record::valid_identifier("caf\xc3\xa9"));
    EXPECT_FALSE(pc::record::valid_identifier("a b"));
}
