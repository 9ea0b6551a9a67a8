#include "pc/core/byte_size.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"

namespace pc::core {

namespace {

std::optional<std::uint64_t> unit_factor(std::string_view unit) {
    static const std::array<std::pair<std::string_view, std::uint64_t>, 14> units{{
        {"", 1},
        {"b", 1},
        {"k", 1ull << 10},
        {"kib", 1ull << 10},
        {"m", 1ull << 20},
        {"mib", 1ull << 20},
        {"g", 1ull << 30},
        {"gib", 1ull << 30},
        {"t", 1ull << 40},
        {"tib", 1ull << 40},
        {"kb", 1000ull},
        {"mb", 1000ull * 1000},
        {"gb", 1000ull * 1000 * 1000},
        {"tb", 1000ull * 1000 * 1000 * 1000},
    }};
    auto u = to_lower(unit);
    for (const auto& [name, factor] : units) {
        if (u == name) return factor;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    std::size_t i = 0;
    std::uint64_t value = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        auto digit = static_cast<std::uint64_t>(text[i] - '0');
        if (value > (max - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
        ++i;
    }
    if (i == 0) return std::nullopt;
    auto factor = unit_factor(text.substr(i));
    if (!factor) return std::nullopt;
    if (value != 0 && *factor > max / value) return std::nullopt;
    return value * *factor;
}

std::uint64_t parse_byte_size_or_throw(std::string_view text, std::string_view variable) {
    auto size = parse_byte_size(text);
    if (!size) {
        throw UsageError(std::string(variable) + ": invalid size \"" + std::string(text) +
                         "\"; use bytes or a unit, e.g. 256MiB, 64M or 1048576");
    }
    return *size;
}

std::string format_byte_size(std::uint64_t bytes) {
    static const std::array<std::string_view, 4> names{"TiB", "GiB", "MiB", "KiB"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::uint64_t unit = 1ull << (10 * (names.size() - i));
        if (bytes != 0 && bytes % unit == 0)
            return std::to_string(bytes / unit) + std::string(names[i]);
    }
    return std::to_string(bytes) + "B";
}

}  // namespace pc::core
