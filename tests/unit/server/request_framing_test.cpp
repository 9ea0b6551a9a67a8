#include "pc/server/request_framing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pc::server {
namespace {

const FramingLimits kLimits{1024, 100, 10, {"/v1/trickle"}};

Framing state(std::string_view buffered) {
    return assess_request(buffered, kLimits).state;
}

TEST(RequestFraming, HeadArrivesInPieces) {
    const std::string req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t n = 0; n < req.size(); ++n) {
        EXPECT_EQ(state(std::string_view(req).substr(0, n)), Framing::need_more)
            << "after " << n << " bytes";
    }
    EXPECT_EQ(state(req), Framing::ready);
    EXPECT_EQ(state("GET / HTTP/1.0\n\n"), Framing::ready) << "bare newlines";
}

TEST(RequestFraming, WholeBodiesAreWaitedFor) {
    const std::string head = "POST /v1/trickle HTTP/1.1\r\ncontent-LENGTH:  10 \r\n\r\n";
    Assessment a = assess_request(head, kLimits);
    EXPECT_EQ(a.state, Framing::need_more);
    EXPECT_TRUE(a.head_complete);
    EXPECT_EQ(a.body_length, 10u);
    EXPECT_EQ(state(head + "012345678"), Framing::need_more);
    EXPECT_EQ(state(head + "0123456789"), Framing::ready);
    EXPECT_EQ(state(head + "0123456789GET / HTTP/1.1\r\n"), Framing::ready)
        << "a pipelined next request does not matter";
    // Up to the cap of the route, the body is still waited for: no worker reads it.
    const std::string at_cap = "POST /v1/trickle?x=1 HTTP/1.1\r\nContent-Length: 100\r\n\r\n";
    EXPECT_EQ(state(at_cap), Framing::need_more);
    EXPECT_EQ(state(at_cap + std::string(100, 'b')), Framing::ready);
}

TEST(RequestFraming, ContinueIsNotedAndOtherExpectationsRefused) {
    Assessment a = assess_request(
        "POST /v1/trickle HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n", kLimits);
    EXPECT_EQ(a.state, Framing::need_more);
    EXPECT_TRUE(a.expects_continue);
    Assessment b =
        assess_request("POST / HTTP/1.1\r\nContent-Length: 0\r\nExpect: later\r\n\r\n", kLimits);
    EXPECT_EQ(b.state, Framing::refuse);
    EXPECT_EQ(b.status, 417);
}

struct Refusal {
    const char* name;
    const char* request;
    int status;
};

TEST(RequestFraming, AmbiguousAndInvalidFramingIsRefused) {
    const Refusal cases[] = {
        {"length and chunked",
         "POST /v1/trickle HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
         400},
        {"chunked then length",
         "POST /v1/trickle HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
         400},
        {"xchunked", "POST /v1/trickle HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", 400},
        {"chunked, identity",
         "POST /v1/trickle HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400},
        {"chunked alone", "POST /v1/ping HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
        {"gzip, chunked", "POST /v1/ping HTTP/1.1\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n",
         411},
        {"negative", "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400},
        {"plus sign", "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", 400},
        {"empty", "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
        {"list", "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", 400},
        {"overflowing", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
        {"conflicting", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
        {"over the route's cap", "POST /v1/trickle HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413},
        {"over a small route's cap", "POST /v1/ping HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 413},
    };
    for (const auto& c : cases) {
        Assessment a = assess_request(c.request, kLimits);
        EXPECT_EQ(a.state, Framing::refuse) << c.name;
        EXPECT_EQ(a.status, c.status) << c.name;
        EXPECT_FALSE(a.message.empty()) << c.name;
    }
    // Repeated with the same value, a length is one length.
    EXPECT_EQ(state("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab"),
              Framing::ready);
}

TEST(RequestFraming, HeadsPastTheLimitAreRefusedWithTheLimit) {
    std::string big = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
    Assessment a = assess_request(big, kLimits);
    EXPECT_EQ(a.state, Framing::refuse);
    EXPECT_EQ(a.status, 431);
    EXPECT_EQ(a.message, "request head larger than 1 KiB: refused");
    EXPECT_EQ(state(big + "\r\n\r\n"), Framing::refuse);
    EXPECT_EQ(state(std::string(1024, 'a')), Framing::need_more);
    EXPECT_EQ(assess_request(big, FramingLimits{1000, 100, 10, {}}).message,
              "request head larger than 1000 bytes: refused");
}

}  // namespace
}  // namespace pc::server
