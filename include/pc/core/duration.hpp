// Go-syntax durations ("24h", "1h30m", "500ms", "10s"), as the original's configuration uses.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pc::core {

using Duration = std::chrono::nanoseconds;

// Parses Go's time.ParseDuration syntax: an optional sign, then one or more decimal numbers
// each with a unit (ns, us, µs, ms, s, m, h). A bare "0" is allowed. nullopt when malformed.
std::optional<Duration> parse_duration(std::string_view text);

// As parse_duration but throws UsageError naming `variable` (the flag or variable given) and
// giving an example.
Duration parse_duration_or_throw(std::string_view text, std::string_view variable);

// Go's Duration.String(): "1h30m0s", "500ms", "10s".
std::string format_duration(Duration d);

}  // namespace pc::core
