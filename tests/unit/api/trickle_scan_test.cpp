// The scanner fast path of decode_trickle_request must agree with the full JSON parser on
// every body: same acceptance, same request; and pcc's bodies must actually take it.
#include "pc/api/trickle_scan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pc/api/trickle.hpp"

namespace {

using pc::api::decode_trickle_request;
using pc::api::decode_trickle_request_json;
using pc::api::scan_canonical_trickle_request;

void expect_same(const std::string& body) {
    auto fast = decode_trickle_request(body);
    auto full = decode_trickle_request_json(body);
    ASSERT_EQ(fast.request.has_value(), full.request.has_value()) << body;
    if (!full.request) {
        EXPECT_EQ(fast.error, full.error) << body;
        return;
    }
    EXPECT_EQ(fast.request->identifier, full.request->identifier) << body;
    EXPECT_EQ(fast.request->batch_id, full.request->batch_id) << body;
    EXPECT_EQ(fast.request->measurements, full.request->measurements) << body;
}

std::string pcc_body(const std::optional<std::string>& batch_id,
                     const std::string& meminfo = "MemTotal:  1 kB\tx \"q\" \\\n") {
    return pc::api::encode_trickle_request({"web-01",
                                            {{1700000000, "/proc/stat", "cpu  1 2 3\ncpu0 1 2 3\n"},
                                             {1700000000, "/proc/meminfo", meminfo},
                                             {-5, "statfs[*]", "{\"a\":1}\n"}},
                                            batch_id});
}

}  // namespace

TEST(TrickleScan, PccBodiesTakeTheFastPathAndDecodeAsTheParserDoes) {
    for (const auto& body : {pcc_body(std::nullopt), pcc_body("host-17-19"),
                             std::string("{\"identifier\":\"a\",\"measurements\":[]}")}) {
        EXPECT_TRUE(scan_canonical_trickle_request(body).has_value()) << body;
        expect_same(body);
    }
    // Escapes pcc writes for /proc text: \n \t \" \\ and, for < > &, \u00xx (left to the parser).
    auto with_u = pcc_body(std::nullopt, "a <&> b\n");
    ASSERT_NE(with_u.find("\\u003c"), std::string::npos);
    EXPECT_FALSE(scan_canonical_trickle_request(with_u).has_value());
    expect_same(with_u);
}

TEST(TrickleScan, UnusualButValidBodiesGoToTheParser) {
    const std::string m = "{\"timestamp\":1,\"subsystem\":\"s\",\"measurement\":\"m\"}";
    for (const std::string& body : std::vector<std::string>{
             "{\"measurements\":[" + m + "],\"identifier\":\"a\"}",          // key order
             "{ \"identifier\":\"a\",\"measurements\":[" + m + "]}",         // whitespace
             "{\"identifier\":\"a\",\"measurements\":[" + m + "]}\n",        // trailing newline
             "{\"identifier\":\"a\",\"measurements\":[" + m + "],\"x\":1}",  // extra key
             "{\"identifier\":\"a\",\"measurements\":null}",
             "{\"identifier\":\"a\",\"batch_id\":null,\"measurements\":[]}",
             "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":1,\"subsystem\":\"s\","
             "\"measurement\":\"m\",\"extra\":2}]}",
             "{\"identifier\":\"a\",\"measurements\":[{\"subsystem\":\"s\",\"timestamp\":1,"
             "\"measurement\":\"m\"}]}",
             "{\"identifier\":\"caf\xc3\xa9\",\"measurements\":[]}",  // valid UTF-8
             "{\"identifier\":\"a\\u0041\",\"measurements\":[]}",     // \u escape
             "{\"identifier\":\"a\\/b\",\"measurements\":[]}",        // \/ escape
             "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":-0,\"subsystem\":\"s\","
             "\"measurement\":\"m\"}]}",
             "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":9223372036854775807,"
             "\"subsystem\":\"s\",\"measurement\":\"m\"}]}",
         }) {
        expect_same(body);
    }
}

TEST(TrickleScan, MalformedBodiesAreRejectedAsTheParserRejectsThem) {
    const auto ts = [](const std::string& t) {
        return "{\"identifier\":\"a\",\"measurements\":[{\"timestamp\":" + t +
               ",\"subsystem\":\"s\",\"measurement\":\"m\"}]}";
    };
    for (const std::string& body : std::vector<std::string>{
             ts("01"),
             ts("-01"),
             ts("1.0"),
             ts("1e3"),
             ts("1E3"),
             ts("+1"),
             ts("-"),
             ts(""),
             ts("9223372036854775808"),
             ts("18446744073709551616"),
             ts("-9223372036854775809"),
             ts("\"1\""),
             ts("true"),
             ts("null"),
             std::string("{\"identifier\":\"a\xff\",\"measurements\":[]}"),     // bad UTF-8
             std::string("{\"identifier\":\"a\\ud800\",\"measurements\":[]}"),  // lone surrogate
             std::string("{\"identifier\":\"a\\x\",\"measurements\":[]}"),      // bad escape
             std::string("{\"identifier\":\"a\tb\",\"measurements\":[]}"),      // raw control
             std::string("{\"identifier\":\"a\",\"batch_id\":\"\",\"measurements\":[]}"),
             "{\"identifier\":\"a\",\"batch_id\":\"" + std::string(129, 'b') +
                 "\",\"measurements\":[]}",
             std::string("{\"identifier\":\"a\",\"measurements\":[],}"),
             std::string("{\"identifier\":\"a\",\"measurements\":[,]}"),
             std::string("{\"identifier\":\"a\",\"measurements\":[]}}"),
             std::string("{\"identifier\":\"a\",\"measurements\":[]}x"),
             std::string("{\"identifier\":\"a\",\"measurements\":[1]}"),
         }) {
        expect_same(body);
        EXPECT_FALSE(decode_trickle_request(body).request) << body;
    }
    // 128 bytes is the longest batch_id accepted.
    expect_same("{\"identifier\":\"a\",\"batch_id\":\"" + std::string(128, 'b') +
                "\",\"measurements\":[]}");
}

TEST(TrickleScan, EveryTruncationAndByteChangeOfAPccBodyAgrees) {
    const std::string body = pcc_body("b-1");
    for (std::size_t n = 0; n < body.size(); ++n) expect_same(body.substr(0, n));
    for (std::size_t at = 0; at < body.size(); ++at) {
        for (char c : {'"', '\\', ',', ']', '}', '0', ' ', '\x01', '\x80'}) {
            std::string changed = body;
            changed[at] = c;
            expect_same(changed);
        }
    }
}
