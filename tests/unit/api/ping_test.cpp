// /v1/ping bodies: the original's wire format, both directions.
#include "pc/api/ping.hpp"

#include <gtest/gtest.h>

using namespace pc::api;

TEST(PingBody, RequestWireFormat) {
    EXPECT_EQ(encode_ping_request({1700000000}), "{\"timestamp\":1700000000}");
    EXPECT_EQ(encode_ping_request({-5}), "{\"timestamp\":-5}");
}

TEST(PingBody, ResponseWireFormat) {
    EXPECT_EQ(encode_ping_response({1700000000, 1700000002}),
              "{\"origintimestamp\":1700000000,\"timestamp\":1700000002}");
    EXPECT_EQ(encode_ping_response({0, 7}), "{\"origintimestamp\":0,\"timestamp\":7}");
}

TEST(PingBody, DecodeRequest) {
    auto r = decode_ping_request("{\"timestamp\":1700000000}");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->timestamp, 1700000000);
    // Whitespace and unknown keys are fine (another client may add fields).
    r = decode_ping_request(" { \"extra\": [1], \"timestamp\" : -3 } ");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->timestamp, -3);
    EXPECT_EQ(decode_ping_request("{\"timestamp\":9223372036854775807}")->timestamp, INT64_MAX);
}

TEST(PingBody, DecodeRequestRejects) {
    for (const char* bad :
         {"", "null", "[]", "{}", "{\"timestamp\":\"1\"}", "{\"timestamp\":1.5}",
          "{\"timestamp\":9223372036854775808}", "{\"timestamp\":1", "not json"}) {
        EXPECT_FALSE(decode_ping_request(bad)) << bad;
    }
}

TEST(PingBody, DecodeResponse) {
    auto r = decode_ping_response("{\"origintimestamp\":12,\"timestamp\":34}");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->origin_timestamp, 12);
    EXPECT_EQ(r->timestamp, 34);
    for (const char* bad : {"{\"timestamp\":34}", "{\"origintimestamp\":12}",
                            "{\"origintimestamp\":\"12\",\"timestamp\":34}", "[1,2]", "{"}) {
        EXPECT_FALSE(decode_ping_response(bad)) << bad;
    }
}

TEST(PingBody, RoundTrip) {
    for (std::int64_t t :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, INT64_MAX, INT64_MIN}) {
        EXPECT_EQ(decode_ping_request(encode_ping_request({t}))->timestamp, t);
        auto r = decode_ping_response(encode_ping_response({t, 42}));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->origin_timestamp, t);
        EXPECT_EQ(r->timestamp, 42);
    }
}
