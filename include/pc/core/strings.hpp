// ASCII string helpers shared by every module: no locale is involved (pcc links no locale
// machinery, and protocol text such as HTTP headers and /proc files is ASCII by definition).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace pc::core {

// ' ', '\t', '\n', '\r', '\v', '\f': one table lookup (the procfs parsers test every byte).
inline constexpr std::array<bool, 256> kAsciiSpace = [] {
    std::array<bool, 256> table{};
    for (char c : {' ', '\t', '\n', '\r', '\v', '\f'}) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

inline bool is_ascii_space(char c) {
    return kAsciiSpace[static_cast<unsigned char>(c)];
}

// Without leading and trailing ASCII whitespace.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

// The same as an owned string.
inline std::string trimmed(std::string_view s) {
    return std::string(trim(s));
}

// Without leading and trailing spaces and tabs only (HTTP's optional whitespace, RFC 9110 §5.6.3).
inline std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

inline char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

// Equal ignoring ASCII case (header names, encodings, keywords).
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

}  // namespace pc::core
