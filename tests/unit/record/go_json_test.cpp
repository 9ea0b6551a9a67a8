#include "pc/record/go_json.hpp"

#include <gtest/gtest.h>

namespace {
std::string esc(std::string_view s) {
    std::string out;
    pc::record::append_go_json_string(out, s);
    return out;
}
}  // namespace

TEST(GoJson, EscapesLikeEncodingJson) {
    EXPECT_EQ(esc("plain"), "\"plain\"");
    EXPECT_EQ(esc("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(esc("l1\nl2\tx\r"), "\"l1\\nl2\\tx\\r\"");
    EXPECT_EQ(esc("\b\f"), "\"\\b\\f\"");
    EXPECT_EQ(esc(std::string("\x00\x01\x1b\x1f", 4)), "\"\\u0000\\u0001\\u001b\\u001f\"");
    EXPECT_EQ(esc("<a>&"), "\"\\u003ca\\u003e\\u0026\"");
    EXPECT_EQ(esc("/ \x7f"), "\"/ \x7f\"");  // slash and DEL stay literal
}

TEST(GoJson, LineSeparatorsAndUnicode) {
    EXPECT_EQ(esc("x\xe2\x80\xa8y\xe2\x80\xa9"), "\"x\\u2028y\\u2029\"");
    EXPECT_EQ(esc("\xc2\xb5s \xe2\x82\xac \xf0\x9f\x98\x80"),
              "\"\xc2\xb5s \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(GoJson, InvalidUtf8BecomesReplacementPerByte) {
    EXPECT_EQ(esc("a\xff"
                  "b"),
              "\"a\\ufffdb\"");
    EXPECT_EQ(esc("\xc0\xaf"), "\"\\ufffd\\ufffd\"");                        // overlong
    EXPECT_EQ(esc("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");             // UTF-16 surrogate
    EXPECT_EQ(esc("\xe2\x82"), "\"\\ufffd\\ufffd\"");                        // truncated sequence
    EXPECT_EQ(esc("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
}

TEST(GoJson, DecodeRoundTrips) {
    std::string sample = std::string("a\"b\\c\n\t<>&\x01 \xe2\x80\xa8 \xc2\xb5", 18);
    std::string enc = esc(sample);
    auto dec = pc::record::decode_json_string_body(std::string_view(enc).substr(1, enc.size() - 2));
    ASSERT_TRUE(dec);
    EXPECT_EQ(*dec, sample);
}

TEST(GoJson, DecodeEscapes) {
    EXPECT_EQ(pc::record::decode_json_string_body("\\u00e9\\/\\ud83d\\ude00"),
              "\xc3\xa9/\xf0\x9f\x98\x80");
    EXPECT_EQ(pc::record::decode_json_string_body("\\ud800x"), "\xef\xbf\xbdx");  // lone surrogate
    EXPECT_FALSE(pc::record::decode_json_string_body("\\x"));
    EXPECT_FALSE(pc::record::decode_json_string_body("\\u12"));
    EXPECT_FALSE(pc::record::decode_json_string_body("tab\there"));
    EXPECT_FALSE(pc::record::decode_json_string_body("ends\\"));
}

// The plain-run scan reads eight bytes at a time: every byte value, at every offset of a word
// and in the tail after the last whole word, must be treated as the byte-by-byte rules say.
TEST(GoJson, DecodeSeesEveryByteAtEveryOffset) {
    for (std::size_t length : {1u, 7u, 8u, 9u, 16u, 23u}) {
        for (std::size_t at = 0; at < length; ++at) {
            for (int b = 0; b < 256; ++b) {
                std::string body(length, 'x');
                body[at] = static_cast<char>(b);
                const auto decoded = pc::record::decode_json_string_body(body);
                const bool refused = b < 0x20 || b == '"' || b == '\\';  // "\x" is no escape
                if (refused) {
                    EXPECT_FALSE(decoded) << "byte " << b << " at " << at << " of " << length;
                } else {
                    ASSERT_TRUE(decoded) << "byte " << b << " at " << at << " of " << length;
                    EXPECT_EQ(*decoded, body);
                }
            }
        }
    }
    // Escapes at every offset of a word decode, and the plain bytes around them are kept.
    for (std::size_t at = 0; at < 17; ++at) {
        std::string body = std::string(at, 'a') + "\\n" + std::string(9, 'b');
        const auto decoded = pc::record::decode_json_string_body(body);
        ASSERT_TRUE(decoded) << at;
        EXPECT_EQ(*decoded, std::string(at, 'a') + "\n" + std::string(9, 'b'));
    }
}

namespace {
// The reference: escape, escape the result again, drop the second pass's quotes.
std::string nested_reference(std::string_view s) {
    std::string twice = esc(esc(s));
    return twice.substr(1, twice.size() - 2);
}
std::string nested(std::string_view s) {
    std::string out = "prefix";
    pc::record::append_go_json_string_nested(out, s);
    return out.substr(6);
}
}  // namespace

TEST(GoJson, NestedIsEscapingTwice) {
    EXPECT_EQ(nested("web-1"), "\\\"web-1\\\"");
    EXPECT_EQ(nested(""), "\\\"\\\"");
    EXPECT_EQ(nested("a\"b\\c<&>\n"),
              "\\\"a\\\\\\\"b\\\\\\\\c\\\\u003c\\\\u0026\\\\u003e\\\\n\\\"");
    for (std::string_view s :
         {"a\"b", "\\\\\"", "<tag attr=\"x\">&amp;", "caf\xc3\xa9 \xe2\x80\xa8\xe2\x80\xa9",
          "\xff\xfe bad \xc3 \xed\xa0\x80", "ctl \x01\x1f\x7f\b\f\n\r\t", "\\u0022"}) {
        EXPECT_EQ(nested(s), nested_reference(s)) << s;
    }
}

TEST(GoJson, NestedSeesEveryByteAndPair) {
    for (int a = 0; a < 256; ++a) {
        const std::string one(1, static_cast<char>(a));
        EXPECT_EQ(nested(one), nested_reference(one)) << a;
        for (int b = 0x80; b < 256; b += 3) {  // two-byte sequences, valid and not
            const std::string two = one + static_cast<char>(b);
            EXPECT_EQ(nested(two), nested_reference(two)) << a << ' ' << b;
        }
    }
}
