#include "pc/server/gzip_inflate.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace pc::server {
namespace {

TEST(GzipInflate, InflatesOneOrMoreMembers) {
    std::string out;
    ASSERT_EQ(gunzip_bounded(pc::test::gzip("hello, world"), 100, out), InflateResult::ok);
    EXPECT_EQ(out, "hello, world");
    ASSERT_EQ(gunzip_bounded(pc::test::gzip("one ") + pc::test::gzip("two"), 100, out),
              InflateResult::ok);
    EXPECT_EQ(out, "one two");
}

TEST(GzipInflate, StopsAtTheLimit) {
    std::string out;
    const std::string bomb = pc::test::gzip(std::string(8u << 20, '0'), 9);
    EXPECT_EQ(gunzip_bounded(bomb, 1u << 20, out), InflateResult::too_large);
    EXPECT_LE(out.size(), 1u << 20);
    EXPECT_EQ(gunzip_bounded(pc::test::gzip("12345"), 5, out), InflateResult::ok);
    EXPECT_EQ(gunzip_bounded(pc::test::gzip("123456"), 5, out), InflateResult::too_large);
}

TEST(GzipInflate, RefusesWhatIsNotGzip) {
    std::string out;
    const std::string good = pc::test::gzip("some text to compress");
    EXPECT_EQ(gunzip_bounded("plain text", 100, out), InflateResult::invalid);
    EXPECT_EQ(gunzip_bounded(good.substr(0, good.size() / 2), 100, out), InflateResult::invalid);
    EXPECT_EQ(gunzip_bounded(good + "trailing", 100, out), InflateResult::invalid);
    EXPECT_EQ(gunzip_bounded("", 100, out), InflateResult::invalid);
}

}  // namespace
}  // namespace pc::server
