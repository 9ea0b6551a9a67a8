#include "pc/client/base_url.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

using pc::client::parse_base_url;

TEST(BaseUrl, HttpWithPort) {
    const auto url = parse_base_url("http://localhost:8080");
    EXPECT_EQ(url.scheme, "http");
    EXPECT_EQ(url.host, "localhost");
    EXPECT_EQ(url.port, 8080);
    EXPECT_EQ(url.path_prefix, "");
    EXPECT_FALSE(url.https());
    EXPECT_EQ(url.origin(), "http://localhost:8080");
    EXPECT_EQ(url.path("/v1/trickle"), "/v1/trickle");
}

TEST(BaseUrl, DefaultPorts) {
    EXPECT_EQ(parse_base_url("http://example.org").port, 80);
    EXPECT_EQ(parse_base_url("https://example.org").port, 443);
    EXPECT_TRUE(parse_base_url("HTTPS://example.org").https());
}

TEST(BaseUrl, HostPortShortForm) {
    const auto url = parse_base_url("10.1.2.3:9000");
    EXPECT_EQ(url.scheme, "http");
    EXPECT_EQ(url.host, "10.1.2.3");
    EXPECT_EQ(url.port, 9000);
}

TEST(BaseUrl, PathPrefixWithoutTrailingSlash) {
    const auto url = parse_base_url("https://collector.example.org:8443/pcd/");
    EXPECT_EQ(url.path_prefix, "/pcd");
    EXPECT_EQ(url.path("/v1/trickle"), "/pcd/v1/trickle");
    EXPECT_EQ(url.to_string(), "https://collector.example.org:8443/pcd");
}

TEST(BaseUrl, Ipv6Literal) {
    const auto url = parse_base_url("http://[::1]:8080");
    EXPECT_EQ(url.host, "::1");
    EXPECT_EQ(url.port, 8080);
    EXPECT_EQ(url.origin(), "http://[::1]:8080");
}

TEST(BaseUrl, RejectsBadInput) {
    for (const char* bad :
         {"", "ftp://host:21", "http://", "http://host:", "http://host:0", "http://host:65536",
          "http://host:80x", "http://host/path?q=1", "http://ho st:80", "http://[::1"}) {
        EXPECT_THROW(parse_base_url(bad, "PCC_SERVER_URL"), pc::core::UserError) << bad;
    }
}

TEST(BaseUrl, ErrorNamesVariableAndHidesCredentials) {
    try {
        parse_base_url("http://user:s3cretpass@host:80", "PCC_SERVER_URL");
        FAIL() << "accepted credentials";
    } catch (const pc::core::UserError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("PCC_SERVER_URL"), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cretpass"), std::string::npos) << what;
    }
}
