// Sizes written by people: "256MiB", "64M", "1048576", "10GB".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pc::core {

// A decimal integer with an optional unit (case-insensitive): none or B = bytes; K, KiB, M, MiB,
// G, GiB, T, TiB = powers of 1024; KB, MB, GB, TB = powers of 1000. nullopt when malformed or
// when the value does not fit in 64 bits.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// Throws UsageError naming `variable` (the flag or variable given) with an example when
// malformed.
std::uint64_t parse_byte_size_or_throw(std::string_view text, std::string_view variable);

// 268435456 -> "256MiB", 1000 -> "1000B": exact, for logs.
std::string format_byte_size(std::uint64_t bytes);

}  // namespace pc::core
