// Logging to stderr through spdlog, UTC timestamps, levels from PCC_LOGLEVEL-style specs.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace pc::core {

// Accepts a plain level ("info", "DEBUG", "warning", "trace", "error", "off") or the original's
// loggo spec "pcc=INFO;hoarder=INFO" / "<root>=DEBUG". In a spec, the entry for `module` wins,
// then "<root>", then the most verbose entry. Throws UsageError naming `variable` when invalid.
spdlog::level::level_enum parse_log_level(std::string_view spec, std::string_view module,
                                          std::string_view variable);

// Installs the default logger: stderr, "2026-01-10 05:03:38.123 INFO pcc: message" in UTC.
void setup_logging(std::string_view program, spdlog::level::level_enum level);

}  // namespace pc::core
