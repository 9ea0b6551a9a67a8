#include "pc/measure/result_format.hpp"

#include <nlohmann/json.hpp>

namespace pc::measure {

namespace {

using Json = nlohmann::ordered_json;

Json to_json(const MeasureResult& r) {
    Json levels = Json::array();
    for (const auto& level : r.results) {
        levels.push_back(Json{{"busyPct", level.busy_pct}, {"workUnits", level.work_units}});
    }
    Json j{{"hostname", r.hostname},        {"timestamp", r.timestamp},
           {"numCores", r.num_cores},       {"results", levels},
           {"maxUnits", r.max_units},       {"avgUnits", r.avg_units},
           {"unitsPerSec", r.units_per_sec}};
    if (!r.error.empty()) j["error"] = r.error;
    return j;
}

// Host columns on every row, so the files of several servers can simply be concatenated.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
    if (text == "json") return Format::json;
    if (text == "csv") return Format::csv;
    if (text == "jsonl") return Format::jsonl;
    return std::nullopt;
}

std::string encode_json(const MeasureResult& result, bool indent) {
    return to_json(result).dump(indent ? 2 : -1);
}

std::optional<MeasureResult> decode_json(std::string_view text) {
    Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto has = [&](const char* key, auto check) { return j.contains(key) && check(j[key]); };
    auto is_int = [](const Json& v) { return v.is_number_integer(); };
    auto is_unsigned = [](const Json& v) { return v.is_number_unsigned(); };
    if (!has("hostname", [](const Json& v) { return v.is_string(); }) ||
        !has("timestamp", is_int) || !has("numCores", is_int) ||
        !has("results", [](const Json& v) { return v.is_array(); }) ||
        !has("maxUnits", is_unsigned) || !has("avgUnits", is_unsigned) ||
        !has("unitsPerSec", [](const Json& v) { return v.is_number(); })) {
        return std::nullopt;
    }
    MeasureResult r;
    r.hostname = j["hostname"].get<std::string>();
    r.timestamp = j["timestamp"].get<std::int64_t>();
    r.num_cores = j["numCores"].get<int>();
    for (const auto& level : j["results"]) {
        if (!level.is_object() || !level.contains("busyPct") || !level.contains("workUnits") ||
            !level["busyPct"].is_number_integer() || !level["workUnits"].is_number_unsigned()) {
            return std::nullopt;
        }
        r.results.push_back(
            {level["busyPct"].get<int>(), level["workUnits"].get<std::uint64_t>(), 0});
    }
    r.max_units = j["maxUnits"].get<std::uint64_t>();
    r.avg_units = j["avgUnits"].get<std::uint64_t>();
    r.units_per_sec = j["unitsPerSec"].get<double>();
    if (j.contains("error")) {
        if (!j["error"].is_string()) return std::nullopt;
        r.error = j["error"].get<std::string>();
    }
    return r;
}

std::string encode_csv(const MeasureResult& result) {
    std::string out = "hostname,timestamp,numCores,busyPct,workUnits\n";
    const std::string host = csv_field(result.hostname) + "," + std::to_string(result.timestamp) +
                             "," + std::to_string(result.num_cores) + ",";
    for (const auto& level : result.results) {
        out +=
            host + std::to_string(level.busy_pct) + "," + std::to_string(level.work_units) + "\n";
    }
    return out;
}

std::string encode_jsonl(const MeasureResult& result) {
    std::string out;
    for (const auto& level : result.results) {
        out += Json{{"hostname", result.hostname},
                    {"timestamp", result.timestamp},
                    {"numCores", result.num_cores},
                    {"busyPct", level.busy_pct},
                    {"workUnits", level.work_units}}
                   .dump();
        out += '\n';
    }
    return out;
}

std::string encode(const MeasureResult& result, Format format) {
    switch (format) {
        case Format::csv:
            return encode_csv(result);
        case Format::jsonl:
            return encode_jsonl(result);
        case Format::json:
            break;
    }
    return encode_json(result, true) + "\n";
}

}  // namespace pc::measure
