#include "pc/server/request_framing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pc::server {
namespace {

const FramingLimits kLimits{1024, 100};

TEST(RequestFraming, HeadArrivesInPieces) {
    const std::string req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t n = 0; n < req.size(); ++n) {
        EXPECT_EQ(assess_request(std::string_view(req).substr(0, n), kLimits), Framing::need_more)
            << "after " << n << " bytes";
    }
    EXPECT_EQ(assess_request(req, kLimits), Framing::ready);
    EXPECT_EQ(assess_request("GET / HTTP/1.0\n\n", kLimits), Framing::ready) << "bare newlines";
}

TEST(RequestFraming, SmallBodiesAreWaitedFor) {
    const std::string head = "POST /v1/trickle HTTP/1.1\r\ncontent-LENGTH:  10 \r\n\r\n";
    EXPECT_EQ(assess_request(head, kLimits), Framing::need_more);
    EXPECT_EQ(assess_request(head + "012345678", kLimits), Framing::need_more);
    EXPECT_EQ(assess_request(head + "0123456789", kLimits), Framing::ready);
    EXPECT_EQ(assess_request(head + "0123456789GET / HTTP/1.1\r\n", kLimits), Framing::ready)
        << "a pipelined next request does not matter";
}

TEST(RequestFraming, LargeChunkedAndContinueBodiesAreReadByTheWorker) {
    EXPECT_EQ(assess_request("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", kLimits),
              Framing::ready);
    EXPECT_EQ(assess_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", kLimits),
              Framing::ready);
    EXPECT_EQ(assess_request("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
                             kLimits),
              Framing::ready);
    EXPECT_EQ(assess_request("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", kLimits),
              Framing::ready)
        << "httplib answers a malformed length";
    EXPECT_EQ(
        assess_request("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", kLimits),
        Framing::ready);
}

TEST(RequestFraming, HeadsPastTheLimitAreRefused) {
    std::string big = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
    EXPECT_EQ(assess_request(big, kLimits), Framing::head_too_large);
    EXPECT_EQ(assess_request(big + "\r\n\r\n", kLimits), Framing::head_too_large);
    EXPECT_EQ(assess_request(std::string(1024, 'a'), kLimits), Framing::need_more);
}

}  // namespace
}  // namespace pc::server
