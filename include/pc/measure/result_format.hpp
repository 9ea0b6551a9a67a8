// A measurement as JSON (pcd's /v1/loadtest answer, the original's field names), CSV or JSON
// lines (one line per level).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pc/measure/result.hpp"

namespace pc::measure {

enum class Format { json, csv, jsonl };

// "json", "csv", "jsonl"; nullopt otherwise.
std::optional<Format> parse_format(std::string_view text);

// {"hostname":..,"timestamp":..,"numCores":..,"results":[{"busyPct":10,"workUnits":n},..],
//  "maxUnits":..,"avgUnits":..,"unitsPerSec":..} plus "error" when set; one line, or indented.
std::string encode_json(const MeasureResult& result, bool indent = false);
// The inverse; nullopt unless every field is there with its type ("error" optional).
std::optional<MeasureResult> decode_json(std::string_view text);
// Header "hostname,timestamp,numCores,busyPct,workUnits", then one row per level.
std::string encode_csv(const MeasureResult& result);
// One object per level: {"hostname","timestamp","numCores","busyPct","workUnits"}.
std::string encode_jsonl(const MeasureResult& result);

// What `pcctl cpumeasure --format` writes (JSON indented), ending in a newline.
std::string encode(const MeasureResult& result, Format format);

}  // namespace pc::measure
