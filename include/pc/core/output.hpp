// Human and --json output helpers shared by pcctl's subcommands.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace pc::core {

// Left-aligned columns separated by two spaces; the header row is upper-cased as given.
void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows);

// One JSON document on one line, then '\n' (what scripts pipe into jq).
void print_json(std::ostream& out, const nlohmann::json& value);

// "2026-01-07T09:42:01Z".
std::string format_utc(std::int64_t unix_seconds);

// "512 B", "4.5 KiB", "3.9 MiB".
std::string format_bytes(std::uint64_t bytes);

// "5s", "1m30s", "2h0m0s", "3d4h" for whole seconds (Go style below a day).
std::string format_seconds(std::int64_t seconds);

}  // namespace pc::core
