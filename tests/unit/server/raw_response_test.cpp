#include "pc/server/raw_response.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pc::server {
namespace {

// The length is computed from the body actually sent (the hand-written 408 said 51 and sent 50).
TEST(RawResponse, LengthMatchesTheBodySent) {
    for (int status : {400, 408, 411, 413, 417, 431, 503}) {
        const std::string r = raw_error_response(status, "a \"quoted\" message\n");
        const auto end = r.find("\r\n\r\n");
        ASSERT_NE(end, std::string::npos);
        const std::string body = r.substr(end + 4);
        EXPECT_EQ(body, "{\"error\":\"a \\\"quoted\\\" message\\n\"}");
        EXPECT_NE(r.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"),
                  std::string::npos)
            << status;
        EXPECT_EQ(r.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u);
        EXPECT_NE(r.find("\r\nConnection: close\r\n"), std::string::npos);
        EXPECT_EQ(r.find("Retry-After"), std::string::npos);
    }
}

TEST(RawResponse, ReasonPhrasesAndRetryAfter) {
    EXPECT_EQ(raw_error_response(408, "x").rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u);
    EXPECT_EQ(
        raw_error_response(431, "x").rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0),
        0u);
    const std::string busy = raw_error_response(503, "busy", 7);
    EXPECT_EQ(busy.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u);
    EXPECT_NE(busy.find("\r\nRetry-After: 7\r\n"), std::string::npos);
}

}  // namespace
}  // namespace pc::server
