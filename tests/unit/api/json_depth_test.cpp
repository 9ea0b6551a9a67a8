#include "pc/api/json_depth.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pc::api {
namespace {

TEST(JsonDepth, CountsArraysAndObjects) {
    EXPECT_EQ(json_nesting_depth("42", 10), 0u);
    EXPECT_EQ(json_nesting_depth("{}", 10), 1u);
    EXPECT_EQ(json_nesting_depth("{\"a\":[1,{\"b\":[]}],\"c\":{}}", 10), 4u);
    EXPECT_EQ(json_nesting_depth("[[],[[]],[]]", 10), 3u);
}

TEST(JsonDepth, BracketsInStringsDoNotCount) {
    EXPECT_EQ(json_nesting_depth(R"({"a":"[[[{{{"})", 10), 1u);
    EXPECT_EQ(json_nesting_depth(R"({"a":"\"[[[", "b":"\\"})", 10), 1u) << "escaped quotes";
    EXPECT_EQ(json_nesting_depth(R"(["\\",[["x"]]])", 10), 3u) << "an escaped backslash ends";
}

TEST(JsonDepth, StopsPastTheLimit) {
    const std::string deep = std::string(1'000'000, '[');
    EXPECT_EQ(json_nesting_depth(deep, 32), 33u);
    EXPECT_EQ(json_nesting_depth(std::string(32, '[') + std::string(32, ']'), 32), 32u);
}

TEST(JsonDepth, MalformedTextIsNotItsConcern) {
    EXPECT_EQ(json_nesting_depth("]]]", 10), 0u);
    EXPECT_EQ(json_nesting_depth("[\"unterminated", 10), 1u);
}

}  // namespace
}  // namespace pc::api
