// Private helpers of the procfs parsers: line splitting and allocation-free number scanning.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "pc/core/strings.hpp"

namespace pc::procfs::detail {

// The parsers test every byte of /proc text: core's table lookup, not six comparisons.
using core::trim;
inline bool is_space(char c) {
    return core::is_ascii_space(c);
}

// Iterates over the lines of a text ('\n'-separated; a last line without '\n' counts).
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : text_(text) {}
    bool next(std::string_view& line) {
        if (pos_ >= text_.size()) return false;
        std::size_t nl = text_.find('\n', pos_);
        std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
        line = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        ++number_;
        return true;
    }
    std::size_t number() const { return number_; }  // 1-based number of the last line returned

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t number_ = 0;
};

// Next whitespace-separated token of `s` (consumed), empty at the end.
inline std::string_view next_token(std::string_view& s) {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    std::string_view tok = s.substr(start, i - start);
    s.remove_prefix(i);
    return tok;
}

// Decimal digits only (what std::from_chars accepts, without its generic base handling: it was
// 9 % of pcprocess's instructions); false on anything else, on empty and on overflow.
inline bool parse_u64(std::string_view tok, std::uint64_t& out) {
    if (tok.empty()) return false;
    const bool may_overflow = tok.size() > 19;  // 19 digits always fit in 64 bits
    std::uint64_t v = 0;
    for (char c : tok) {
        const unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
        if (digit > 9) return false;
        if (!may_overflow) {
            v = v * 10 + digit;
        } else if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, digit, &v)) {
            return false;
        }
    }
    out = v;
    return true;
}

inline bool parse_double(std::string_view tok, double& out) {
    if (tok.empty()) return false;
    auto res = std::from_chars(tok.data(), tok.data() + tok.size(), out);
    return res.ec == std::errc() && res.ptr == tok.data() + tok.size();
}

inline std::string line_error(std::size_t line, std::string_view what) {
    std::string s = "line ";
    s += std::to_string(line);
    s += ": ";
    s += what;
    return s;
}

// Error messages quote input: control and non-ASCII bytes are written as \xNN so that a
// message stays one printable line whatever the file holds.
inline std::string excerpt(std::string_view s) {
    constexpr std::size_t kMax = 40;
    constexpr char kHex[] = "0123456789abcdef";
    std::string out = "'";
    for (const char ch : s.substr(0, kMax)) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    if (s.size() > kMax) out += "...";
    out += "'";
    return out;
}

}  // namespace pc::procfs::detail
