#include "pc/core/journal_format.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "test_support.hpp"

namespace {

std::string format(spdlog::level::level_enum level, std::string_view text) {
    spdlog::details::log_msg msg("pcd", level, spdlog::string_view_t(text.data(), text.size()));
    spdlog::memory_buf_t buf;
    pc::core::JournalFormatter().format(msg, buf);
    return std::string(buf.data(), buf.size());
}

TEST(JournalFormat, PriorityPrefixAndNoTimestamp) {
    EXPECT_EQ(format(spdlog::level::err, "disk full"), "<3>error: disk full\n");
    EXPECT_EQ(format(spdlog::level::warn, "slow"), "<4>warning: slow\n");
    EXPECT_EQ(format(spdlog::level::info, "listening"), "<6>info: listening\n");
    EXPECT_EQ(format(spdlog::level::debug, "x"), "<7>debug: x\n");
    EXPECT_EQ(format(spdlog::level::trace, "x"), "<7>trace: x\n");
    EXPECT_EQ(format(spdlog::level::critical, "x"), "<2>critical: x\n");
}

TEST(JournalFormat, EveryLineOfAMessageCarriesThePriority) {
    EXPECT_EQ(format(spdlog::level::err, "first\nsecond"), "<3>error: first\n<3>error: second\n");
    EXPECT_EQ(format(spdlog::level::warn, "ends\n"), "<4>warning: ends\n");
}

TEST(JournalFormat, StreamMatchesOnlyTheFileItNames) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "a", "");
    pc::test::write_file(dir / "b", "");
    int a = ::open((dir / "a").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(a, 0);
    struct stat st {};
    ASSERT_EQ(::fstat(a, &st), 0);
    struct stat other {};
    ASSERT_EQ(::stat((dir / "b").c_str(), &other), 0);
    const std::string dev = std::to_string(st.st_dev);
    EXPECT_TRUE(pc::core::is_journal_stream(dev + ":" + std::to_string(st.st_ino), a));
    EXPECT_FALSE(pc::core::is_journal_stream(dev + ":" + std::to_string(other.st_ino), a));
    EXPECT_FALSE(pc::core::is_journal_stream("", a));
    EXPECT_FALSE(pc::core::is_journal_stream("garbage", a));
    EXPECT_FALSE(pc::core::is_journal_stream(dev + ":", a));
    EXPECT_FALSE(pc::core::is_journal_stream(dev + ":" + std::to_string(st.st_ino) + "x", a));
    ::close(a);
}

}  // namespace
