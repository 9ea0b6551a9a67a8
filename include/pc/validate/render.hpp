// The validation report as text for people and as JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "pc/validate/report.hpp"

namespace pc::validate {

// "OK", "OK with warnings: 2 gaps (12 ticks missing)", "CORRUPT: 1 truncated line", "EMPTY".
std::string verdict(const ValidationReport& report);

void render_text(const ValidationReport& report, std::ostream& out);

nlohmann::json to_json(const ValidationReport& report);

}  // namespace pc::validate
