// The dashboard's own HTML: values escaped, the banner's links and forms for a window.
#include "pc/server/dashboard_pages.hpp"

#include <gtest/gtest.h>

using namespace pc::server;

TEST(DashboardPages, SignInPageEscapesItsMessageAndPostsTheKeyInItsBody) {
    const auto html = sign_in_page("bad <key> & \"more\"");
    EXPECT_NE(html.find("bad &lt;key&gt; &amp; &quot;more&quot;"), std::string::npos);
    EXPECT_NE(html.find("<form class=\"signin\" method=\"post\" action=\"/dashboard/signin\">"),
              std::string::npos);
    EXPECT_NE(html.find("type=\"password\""), std::string::npos);
    EXPECT_EQ(sign_in_page("").find("id=\"message\""), std::string::npos);
}

TEST(DashboardPages, FleetPageCarriesItsRefreshPeriodAndBuildsRowsWithoutMarkup) {
    const auto html = fleet_page(7);
    EXPECT_NE(html.find("<body data-refresh-seconds=\"7\">"), std::string::npos);
    EXPECT_NE(html.find("/dashboard/fleet.json"), std::string::npos);
    EXPECT_EQ(html.find("innerHTML"), std::string::npos) << "values go in as text only";
    EXPECT_EQ(html.find("src="), std::string::npos) << "nothing loaded from anywhere";
}

TEST(DashboardPages, BannerEscapesTheIdentifierAndLinksTheWindow) {
    DashboardWindow window{1700000000, 1700003600, "1h"};
    // Not a valid identifier (pcd refuses those), but the banner must not rely on that.
    const auto html = machine_banner("x\"><script>alert(1)</script>", window, "note <b>");
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_NE(html.find("<strong>x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</strong>"),
              std::string::npos);
    EXPECT_NE(html.find("/dashboard/machine/x%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E/"
                        "collection.json?since=1700000000&amp;until=1700003600"),
              std::string::npos);
    EXPECT_NE(html.find("note &lt;b&gt;"), std::string::npos);
    EXPECT_NE(html.find("<option value=\"1h\" selected>"), std::string::npos);
    EXPECT_NE(html.find("value=\"2023-11-14T22:13:20\""), std::string::npos);
    const auto valid = machine_banner("-..--x_.._", window, "");
    EXPECT_NE(valid.find("href=\"/dashboard/machine/-..--x_.._/report.html?"), std::string::npos);
    EXPECT_EQ(valid.find("window-note"), std::string::npos);
}

TEST(DashboardPages, ErrorPageEscapes) {
    const auto html = dashboard_error_page("<t>", "<m>");
    EXPECT_NE(html.find("&lt;t&gt;"), std::string::npos);
    EXPECT_NE(html.find("&lt;m&gt;"), std::string::npos);
}
