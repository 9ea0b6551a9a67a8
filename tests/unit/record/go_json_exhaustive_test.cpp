// append_go_json_string against a slow reference escaper written straight from the rules of
// Go's encoding/json (HTML-safe), over every byte value, every two-byte string, edge-case
// multi-byte sequences and pseudo-random strings.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pc/record/go_json.hpp"

namespace {

// Decodes one code point at s[i] the way Go's utf8.DecodeRuneInString does: returns the code
// point and its length, or -1 with length 1 for anything invalid (bad lead, bad or missing
// continuation, overlong form, surrogate, above U+10FFFF).
struct Decoded {
    long cp;
    std::size_t length;
};

Decoded decode_one(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(s[k]));
    };
    const std::uint32_t lead = byte(i);
    if (lead < 0x80) return {static_cast<long>(lead), 1};
    std::size_t length;
    std::uint32_t cp;
    std::uint32_t minimum;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, cp = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, cp = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, cp = lead & 0x07, minimum = 0x10000;
    } else {
        return {-1, 1};
    }
    if (i + length > s.size()) {
        // Go also rejects a truncated sequence one byte at a time.
        return {-1, 1};
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {-1, 1};
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {-1, 1};
    return {static_cast<long>(cp), length};
}

std::string reference_escape(std::string_view s) {
    std::string out = "\"";
    std::size_t i = 0;
    while (i < s.size()) {
        const Decoded d = decode_one(s, i);
        char buf[8];
        if (d.cp < 0) {
            out += "\\ufffd";
        } else if (d.cp == '"') {
            out += "\\\"";
        } else if (d.cp == '\\') {
            out += "\\\\";
        } else if (d.cp == '\b') {
            out += "\\b";
        } else if (d.cp == '\f') {
            out += "\\f";
        } else if (d.cp == '\n') {
            out += "\\n";
        } else if (d.cp == '\r') {
            out += "\\r";
        } else if (d.cp == '\t') {
            out += "\\t";
        } else if (d.cp < 0x20 || d.cp == '<' || d.cp == '>' || d.cp == '&' || d.cp == 0x2028 ||
                   d.cp == 0x2029) {
            std::snprintf(buf, sizeof buf, "\\u%04lx", d.cp);
            out += buf;
        } else {
            out.append(s.substr(i, d.length));
        }
        i += d.length;
    }
    out += '"';
    return out;
}

std::string escape(std::string_view s) {
    std::string out;
    pc::record::append_go_json_string(out, s);
    return out;
}

std::string byte_string(std::initializer_list<int> bytes) {
    std::string s;
    for (int b : bytes) s += static_cast<char>(b);
    return s;
}

}  // namespace

TEST(GoJsonExhaustive, ReferenceAgreesWithHandWrittenCases) {
    EXPECT_EQ(reference_escape("a<b>&\"\\\n"), "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\"");
    EXPECT_EQ(reference_escape("\xe2\x80\xa8\xff"), "\"\\u2028\\ufffd\"");
    EXPECT_EQ(reference_escape(std::string("\x00\x7f", 2)), std::string("\"\\u0000\x7f\""));
}

TEST(GoJsonExhaustive, EveryByteAloneAndBetweenPlainText) {
    for (int b = 0; b < 256; ++b) {
        const std::string alone = byte_string({b});
        EXPECT_EQ(escape(alone), reference_escape(alone)) << "byte " << b;
        const std::string framed = "plain " + alone + " text";
        EXPECT_EQ(escape(framed), reference_escape(framed)) << "byte " << b;
    }
}

TEST(GoJsonExhaustive, EveryTwoByteString) {
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const std::string s = byte_string({a, b});
            ASSERT_EQ(escape(s), reference_escape(s)) << "bytes " << a << " " << b;
        }
    }
}

// Lead bytes 0xC0-0xFF followed by continuations at and beyond every boundary Go checks.
TEST(GoJsonExhaustive, MultiByteBoundaries) {
    const std::vector<int> seconds = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                      0xa0, 0xa8, 0xa9, 0xbf, 0xc0, 0xff};
    for (int lead = 0xc0; lead < 0x100; ++lead) {
        for (int b1 : seconds) {
            for (int b2 : seconds) {
                for (int b3 : {0x41, 0x80, 0xa8, 0xbf, 0xc0}) {
                    const std::string three = byte_string({lead, b1, b2});
                    ASSERT_EQ(escape(three), reference_escape(three));
                    const std::string four = byte_string({lead, b1, b2, b3, 'x'});
                    ASSERT_EQ(escape(four), reference_escape(four));
                }
            }
        }
    }
}

TEST(GoJsonExhaustive, PseudoRandomStrings) {
    std::mt19937 rng(20261122);
    std::uniform_int_distribution<int> length(0, 64);
    std::uniform_int_distribution<int> any_byte(0, 255);
    std::uniform_int_distribution<int> kind(0, 3);
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        const int n = length(rng);
        for (int k = 0; k < n; ++k) {
            // Mostly printable ASCII (like /proc text), with escapes and high bytes mixed in.
            const int b = any_byte(rng);
            s += static_cast<char>(kind(rng) == 0 ? b : 0x20 + b % 0x5f);
        }
        ASSERT_EQ(escape(s), reference_escape(s)) << "round " << round;
    }
}
