// pcd's error response body {"error":"..."}.
#include "pc/api/error_body.hpp"

#include <gtest/gtest.h>

using namespace pc::api;

TEST(ErrorBody, WireFormatEscapesLikeGo) {
    EXPECT_EQ(encode_error_body("missing string \"identifier\""),
              "{\"error\":\"missing string \\\"identifier\\\"\"}");
    EXPECT_EQ(encode_error_body("<script>&\n"), "{\"error\":\"\\u003cscript\\u003e\\u0026\\n\"}");
    EXPECT_EQ(encode_error_body(""), "{\"error\":\"\"}");
}

TEST(ErrorBody, RoundTrip) {
    for (const char* message : {"", "plain", "quote \" backslash \\ tab \t", "caf\xc3\xa9 <>&"}) {
        EXPECT_EQ(decode_error_body(encode_error_body(message)).value_or("<none>"), message);
    }
}

TEST(ErrorBody, DecodeOtherServersBodies) {
    EXPECT_EQ(decode_error_body("{\"status\":429,\"error\":\"slow down\"}").value_or(""),
              "slow down");
    for (const char* bad : {"", "Internal Server Error", "[]", "{}", "{\"error\":5}",
                            "{\"error\":null}", "{\"message\":\"x\"}", "{\"error\":\"x\""}) {
        EXPECT_FALSE(decode_error_body(bad)) << bad;
    }
}
