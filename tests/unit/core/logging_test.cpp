#include "pc/core/logging.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

TEST(LogLevel, PlainNames) {
    EXPECT_EQ(pc::core::parse_log_level("info", "pcc", "PCC_LOGLEVEL"), spdlog::level::info);
    EXPECT_EQ(pc::core::parse_log_level("DEBUG", "pcc", "PCC_LOGLEVEL"), spdlog::level::debug);
    EXPECT_EQ(pc::core::parse_log_level("warning", "pcc", "PCC_LOGLEVEL"), spdlog::level::warn);
    EXPECT_EQ(pc::core::parse_log_level("trace", "pcd", "PCD_LOGLEVEL"), spdlog::level::trace);
}

TEST(LogLevel, LoggoSpec) {
    EXPECT_EQ(pc::core::parse_log_level("pcc=INFO;hoarder=INFO", "pcc", "PCC_LOGLEVEL"),
              spdlog::level::info);
    EXPECT_EQ(pc::core::parse_log_level("pcc=DEBUG;hoarder=INFO", "pcc", "PCC_LOGLEVEL"),
              spdlog::level::debug);
    EXPECT_EQ(pc::core::parse_log_level("hoarder=TRACE;pcc=ERROR", "pcc", "PCC_LOGLEVEL"),
              spdlog::level::err);
    EXPECT_EQ(pc::core::parse_log_level("<root>=WARNING", "pcc", "PCC_LOGLEVEL"),
              spdlog::level::warn);
    EXPECT_EQ(pc::core::parse_log_level("hoarder=DEBUG", "pcc", "PCC_LOGLEVEL"),
              spdlog::level::debug);
}

TEST(LogLevel, InvalidNamesVariable) {
    for (const char* bad : {"loud", "pcc=LOUD", "=INFO", "pcc"}) {
        try {
            pc::core::parse_log_level(bad, "pcc", "PCC_LOGLEVEL");
            FAIL() << bad;
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("PCC_LOGLEVEL"), std::string::npos);
        }
    }
}
