#include "pc/api/json_depth.hpp"
#include "pc/api/trickle.hpp"

#include <gtest/gtest.h>

TEST(Trickle, EncodesOriginalShapeAndRoundTrips) {
    pc::api::TrickleRequest req{"d2da98c4b4f5454cbdb311f4701ad1a1",
                                {{10, "/proc/stat", "cpu 1\n"}, {10, "statfs[*]", "{\"a\":1}\n"}},
                                std::nullopt};
    auto body = pc::api::encode_trickle_request(req);
    EXPECT_EQ(
        body,
        "{\"identifier\":\"d2da98c4b4f5454cbdb311f4701ad1a1\",\"measurements\":["
        "{\"timestamp\":10,\"subsystem\":\"/proc/stat\",\"measurement\":\"cpu 1\\n\"},"
        "{\"timestamp\":10,\"subsystem\":\"statfs[*]\",\"measurement\":\"{\\\"a\\\":1}\\n\"}]}");
    auto back = pc::api::decode_trickle_request(body);
    ASSERT_TRUE(back.request) << back.error;
    EXPECT_EQ(back.request->identifier, req.identifier);
    EXPECT_EQ(back.request->measurements, req.measurements);
    EXPECT_FALSE(back.request->batch_id);
}

TEST(Trickle, BatchIdRoundTrips) {
    pc::api::TrickleRequest req{"m1", {{1, "s", "m"}}, std::string("abc-7")};
    auto back = pc::api::decode_trickle_request(pc::api::encode_trickle_request(req));
    ASSERT_TRUE(back.request);
    EXPECT_EQ(back.request->batch_id, "abc-7");
}

TEST(Trickle, RejectsMalformedBodies) {
    for (const char* bad : {"", "{", "[]", "{\"identifier\":1,\"measurements\":[]}",
                            "{\"identifier\":\"a\"}", "{\"identifier\":\"a\",\"measurements\":[1]}",
                            "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":\"x\","
                            "\"subsystem\":\"s\",\"measurement\":\"m\"}]}",
                            "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":"
                            "99999999999999999999,\"subsystem\":\"s\",\"measurement\":\"m\"}]}",
                            "{\"identifier\":\"a\",\"batch_id\":5,\"measurements\":[]}"}) {
        auto r = pc::api::decode_trickle_request(bad);
        EXPECT_FALSE(r.request) << bad;
        EXPECT_FALSE(r.error.empty()) << bad;
    }
}

TEST(Trickle, UnknownMembersAreSkippedAndDeepNestingRefused) {
    const std::string record =
        "{\"timestamp\":5,\"note\":{\"a\":[1,{\"b\":2}]},\"subsystem\":\"s\",\"measurement\":"
        "\"m\"}";
    auto ok = pc::api::decode_trickle_request(
        "{\"client\":{\"version\":[1,2,{\"x\":null}]},\"identifier\":\"web-1\",\"measurements\":[" +
        record + "]}");
    ASSERT_TRUE(ok.request) << ok.error;
    EXPECT_EQ(ok.request->identifier, "web-1");
    ASSERT_EQ(ok.request->measurements.size(), 1u);
    EXPECT_EQ(ok.request->measurements[0].timestamp, 5);
    EXPECT_EQ(ok.request->measurements[0].measurement, "m");

    const std::string deep = std::string(pc::api::kMaxRequestNesting, '[') +
                             std::string(pc::api::kMaxRequestNesting, ']');
    auto refused = pc::api::decode_trickle_request("{\"identifier\":\"web-1\",\"extra\":" + deep +
                                                   ",\"measurements\":[]}");
    EXPECT_FALSE(refused.request);
    EXPECT_EQ(refused.error, "JSON nested deeper than 32 levels");
}
