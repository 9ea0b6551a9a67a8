// The dashboard's security headers and the same-origin check of its POSTs.
#include "pc/server/dashboard_headers.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

using pc::server::same_origin_post;

TEST(DashboardHeaders, EveryAnswerForbidsFramingCachingAndForeignSources) {
    httplib::Response res;
    pc::server::set_dashboard_headers(res);
    const auto csp = res.get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("http"), std::string::npos) << "no external source: " << csp;
    EXPECT_EQ(res.get_header_value("X-Frame-Options"), "DENY");
    EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res.get_header_value("Referrer-Policy"), "same-origin");
}

TEST(DashboardHeaders, PostFromTheSameHostPasses) {
    EXPECT_TRUE(same_origin_post("http://127.0.0.1:8080", "", "127.0.0.1:8080"));
    EXPECT_TRUE(same_origin_post("https://PCD.example", "same-origin", "pcd.example"));
    // Behind a TLS-terminating proxy that keeps Host, the scheme differs: still the same site.
    EXPECT_TRUE(same_origin_post("https://pcd.example", "", "pcd.example"));
}

TEST(DashboardHeaders, PostFromAnotherSiteIsRefused) {
    EXPECT_FALSE(same_origin_post("https://evil.example", "cross-site", "pcd.example"));
    EXPECT_FALSE(same_origin_post("http://127.0.0.1:8081", "", "127.0.0.1:8080"));
    EXPECT_FALSE(same_origin_post("null", "", "pcd.example"));
    EXPECT_FALSE(same_origin_post("https://pcd.example", "", ""));
    EXPECT_FALSE(same_origin_post("", "cross-site", "pcd.example"));
    EXPECT_FALSE(same_origin_post("", "same-site", "pcd.example"));
}

TEST(DashboardHeaders, NonBrowserPostsWithoutOriginPass) {
    EXPECT_TRUE(same_origin_post("", "", "pcd.example"));
    EXPECT_TRUE(same_origin_post("", "none", "pcd.example"));
}
