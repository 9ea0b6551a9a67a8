// The session cookie's attributes, with and without TLS, and reading it back.
#include "pc/server/dashboard_cookie.hpp"

#include <gtest/gtest.h>

using namespace pc::server;
using namespace std::chrono_literals;

TEST(DashboardCookie, PlainHttpCookieIsHttpOnlyStrictWithMaxAge) {
    EXPECT_EQ(session_cookie("abc", 12h, false),
              "pcd_session=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
}

TEST(DashboardCookie, UnderTlsItIsSecure) {
    EXPECT_EQ(session_cookie("abc", 30min, true),
              "pcd_session=abc; Path=/; Max-Age=1800; HttpOnly; SameSite=Strict; Secure");
}

TEST(DashboardCookie, ClearingSetsAnEmptyValueThatExpiresNow) {
    EXPECT_EQ(cleared_session_cookie(false),
              "pcd_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    EXPECT_NE(cleared_session_cookie(true).find("; Secure"), std::string::npos);
}

TEST(DashboardCookie, ReadsTheNamedCookieAmongOthers) {
    EXPECT_EQ(cookie_value("pcd_session=tok", "pcd_session"), "tok");
    EXPECT_EQ(cookie_value("a=1; pcd_session=tok; b=2", "pcd_session"), "tok");
    EXPECT_EQ(cookie_value("a=1;pcd_session=\"tok\"", "pcd_session"), "tok");
    EXPECT_EQ(cookie_value("xpcd_session=no; pcd_session_old=no", "pcd_session"), std::nullopt);
    EXPECT_EQ(cookie_value("", "pcd_session"), std::nullopt);
    EXPECT_EQ(cookie_value("garbage;;=;", "pcd_session"), std::nullopt);
}
