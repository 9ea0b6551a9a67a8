#include "pc/record/go_json.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace pc::record {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid (Go's rules: no
// overlongs, no surrogates, nothing above U+10FFFF).
std::size_t valid_utf8_length(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    }
    return n;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::uint32_t> read_hex4(std::string_view s, std::size_t i) {
    if (i + 4 > s.size()) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        int h = hex_value(s[i + k]);
        if (h < 0) return std::nullopt;
        v = v * 16 + static_cast<std::uint32_t>(h);
    }
    return v;
}

// Bytes that leave the plain-run fast path: control bytes, `"`, `\`, the HTML-unsafe `<` `>`
// `&`, and every byte >= 0x80 (UTF-8 must be validated, U+2028/U+2029 escaped).
constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < 256; ++c) {
        table[c] =
            c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&';
    }
    return table;
}
constexpr std::array<bool, 256> kLeavesFastPath = make_escape_table();

// Bytes that end a plain run inside a JSON string: '\\', '"' and controls.
constexpr std::array<bool, 256> kStringStop = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    t['"'] = true;
    t['\\'] = true;
    return t;
}();

// The bytes of `w` that are '\\', '"' or below 0x20, as their high bits. The lowest set bit is
// always a real one (a borrow only travels upwards from a matching byte), so on a
// little-endian machine countr_zero(mask) / 8 is the first stop byte's offset.
constexpr std::uint64_t stop_mask(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    const std::uint64_t quote = w ^ (ones * '"');
    const std::uint64_t backslash = w ^ (ones * '\\');
    const std::uint64_t below_space = (w - ones * 0x20) & ~w;
    const std::uint64_t zero_quote = (quote - ones) & ~quote;
    const std::uint64_t zero_backslash = (backslash - ones) & ~backslash;
    return (below_space | zero_quote | zero_backslash) & highs;
}

// The end of the run of plain bytes starting at `i`: the index of the next stop byte, or
// body.size(). Eight bytes at a time: /proc text is long runs between "\\n" escapes.
std::size_t plain_run_end(std::string_view body, std::size_t i) {
    const std::size_t n = body.size();
    while (i + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, body.data() + i, 8);
        if (const std::uint64_t mask = stop_mask(w)) {
            if constexpr (std::endian::native == std::endian::little)
                return i + static_cast<std::size_t>(std::countr_zero(mask) / 8);
            break;
        }
        i += 8;
    }
    while (i < n && !kStringStop[static_cast<unsigned char>(body[i])]) ++i;
    return i;
}

}  // namespace

void append_go_json_string(std::string& out, std::string_view s) {
    out += '"';
    const std::size_t size = s.size();
    std::size_t i = 0;
    while (i < size) {
        // One table lookup per plain byte, then one append per plain run.
        const std::size_t plain_start = i;
        while (i < size && !kLeavesFastPath[static_cast<unsigned char>(s[i])]) ++i;
        out.append(s.data() + plain_start, i - plain_start);
        if (i == size) break;
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
            }
            ++i;
            continue;
        }
        const std::size_t n = valid_utf8_length(s, i);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        // U+2028 = E2 80 A8, U+2029 = E2 80 A9: valid JSON but not valid JavaScript.
        if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
            out += (static_cast<unsigned char>(s[i + 2]) == 0xA8) ? "\\u2028" : "\\u2029";
        } else {
            out.append(s.data() + i, n);
        }
        i += n;
    }
    out += '"';
}

void append_go_json_string_nested(std::string& out, std::string_view s) {
    bool escapes = false;  // no branch per byte: ids are 64 bytes
    for (char c : s) escapes |= kLeavesFastPath[static_cast<unsigned char>(c)];
    if (!escapes) {  // ids, names and runtimes almost always: no escape in either pass
        out.append("\\\"", 2);
        out.append(s.data(), s.size());
        out.append("\\\"", 2);
        return;
    }
    // The first pass leaves only printable ASCII (no < > &) and valid UTF-8 other than U+2028
    // and U+2029: the second one escapes nothing but its quotes and backslashes.
    std::string once;
    append_go_json_string(once, s);
    for (char c : once) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
}

std::optional<std::string> decode_json_string_body(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    std::size_t i = 0;
    while (i < body.size()) {
        const std::size_t end = plain_run_end(body, i);
        out.append(body.data() + i, end - i);
        if (end == body.size()) break;
        if (body[end] != '\\') return std::nullopt;  // a raw '"' or control byte
        i = end + 1;
        if (i >= body.size()) return std::nullopt;
        char e = body[i++];
        switch (e) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                auto cp = read_hex4(body, i);
                if (!cp) return std::nullopt;
                i += 4;
                if (*cp >= 0xD800 && *cp < 0xDC00) {
                    // High surrogate: must pair with a following \uDC00-\uDFFF.
                    if (i + 6 <= body.size() && body[i] == '\\' && body[i + 1] == 'u') {
                        auto lo = read_hex4(body, i + 2);
                        if (lo && *lo >= 0xDC00 && *lo < 0xE000) {
                            append_utf8(out, 0x10000 + ((*cp - 0xD800) << 10) + (*lo - 0xDC00));
                            i += 6;
                            break;
                        }
                    }
                    append_utf8(out, 0xFFFD);
                } else if (*cp >= 0xDC00 && *cp < 0xE000) {
                    append_utf8(out, 0xFFFD);
                } else {
                    append_utf8(out, *cp);
                }
                break;
            }
            default:
                return std::nullopt;
        }
    }
    return out;
}

}  // namespace pc::record
