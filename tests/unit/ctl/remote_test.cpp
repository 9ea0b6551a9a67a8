#include "pc/ctl/remote.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

namespace {

TEST(TimeArgument, AcceptsUnixRfc3339AndDurationsAgo) {
    const std::int64_t now = 1767801000;
    EXPECT_EQ(pc::ctl::parse_time_argument("1767800521", "--since", now), 1767800521);
    EXPECT_EQ(pc::ctl::parse_time_argument("2026-01-07T15:42:01Z", "--since", now), 1767800521);
    EXPECT_EQ(pc::ctl::parse_time_argument("2026-01-07T16:42:01+01:00", "--since", now),
              1767800521);
    EXPECT_EQ(pc::ctl::parse_time_argument("2026-01-07T15:42:01.250Z", "--since", now), 1767800521);
    EXPECT_EQ(pc::ctl::parse_time_argument("2h", "--since", now), now - 7200);
    EXPECT_EQ(pc::ctl::parse_time_argument("90s", "--since", now), now - 90);
    EXPECT_EQ(pc::ctl::parse_time_argument("30d", "--before", now), now - 30 * 86400);
    for (const char* bad :
         {"yesterday", "2026-13-01T00:00:00Z", "2026-01-07 15:42:01", "", "d", "1.5d", "-1d"}) {
        EXPECT_THROW(pc::ctl::parse_time_argument(bad, "--since", now), pc::core::UserError) << bad;
    }
}

TEST(RemoteHelpers, FailureTextUsesPcdErrorBody) {
    pc::client::HttpResult r;
    r.response = pc::client::HttpResponse{403, R"({"error":"use an admin key"})", {}};
    EXPECT_EQ(pc::ctl::describe_failure(r), "HTTP 403: use an admin key");
    r.response = pc::client::HttpResponse{502, "<html>\nbad\n</html>", {}};
    EXPECT_EQ(pc::ctl::describe_failure(r), "HTTP 502: <html> bad </html>");
    pc::client::HttpResult none;
    none.error = "cannot connect";
    EXPECT_EQ(pc::ctl::describe_failure(none), "cannot connect");
}

TEST(RemoteHelpers, AdminRoutesNeedAnAdminKey) {
    pc::ctl::GlobalOptions g;
    EXPECT_THROW(pc::ctl::admin_headers(g), pc::core::UserError);
    g.adminkey = "admin-key-123";
    auto h = pc::ctl::admin_headers(g);
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].second, "Bearer admin-key-123");
}

}  // namespace
