#include "pc/record/codec.hpp"

#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "pc/record/go_json.hpp"

namespace pc::record {

void encode_record(const Record& record, std::string& out) {
    out += "{\"timestamp\":";
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, record.timestamp);
    out.append(buf, res.ptr);
    out += ",\"subsystem\":";
    append_go_json_string(out, record.subsystem);
    out += ",\"measurement\":";
    if (record.measurement_is_json) {
        out += record.measurement;
    } else {
        append_go_json_string(out, record.measurement);
    }
    out += "}\n";
}

std::string measurement_text(const Record& record) {
    if (!record.measurement_is_json) return record.measurement;
    std::string_view m = record.measurement;
    if (m.size() < 2) return {};
    return decode_json_string_body(m.substr(1, m.size() - 2)).value_or(std::string());
}

std::string encode_record(const Record& record) {
    std::string out;
    out.reserve(record.measurement.size() + record.subsystem.size() + 64);
    encode_record(record, out);
    return out;
}

void encode_tick(const Tick& tick, std::string& out) {
    for (const auto& r : tick) encode_record(r, out);
}

namespace {

// Index of the closing quote of a JSON string whose body starts at `from`, or npos.
std::size_t find_string_end(std::string_view s, std::size_t from) {
    std::size_t i = from;
    for (;;) {
        std::size_t q = s.find('"', i);
        if (q == std::string_view::npos) return q;
        std::size_t backslashes = 0;
        while (q - backslashes > from && s[q - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return q;
        i = q + 1;
    }
}

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    s.remove_prefix(prefix.size());
    return true;
}

std::optional<std::string> take_string(std::string_view& s) {
    std::size_t end = find_string_end(s, 0);
    if (end == std::string_view::npos) return std::nullopt;
    auto body = decode_json_string_body(s.substr(0, end));
    s.remove_prefix(end + 1);
    return body;
}

std::optional<Record> decode_canonical(std::string_view s) {
    Record r;
    if (!consume(s, "{\"timestamp\":")) return std::nullopt;
    auto res = std::from_chars(s.data(), s.data() + s.size(), r.timestamp);
    if (res.ec != std::errc()) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(res.ptr - s.data()));
    if (!consume(s, ",\"subsystem\":\"")) return std::nullopt;
    auto subsystem = take_string(s);
    if (!subsystem) return std::nullopt;
    r.subsystem = std::move(*subsystem);
    if (!consume(s, ",\"measurement\":\"")) return std::nullopt;
    auto measurement = take_string(s);
    if (!measurement) return std::nullopt;
    r.measurement = std::move(*measurement);
    if (s != "}") return std::nullopt;
    return r;
}

}  // namespace

DecodeResult decode_record(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    if (auto fast = decode_canonical(line)) return {std::move(fast), {}};

    nlohmann::json j = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) return {std::nullopt, "not valid JSON"};
    if (!j.is_object()) return {std::nullopt, "not a JSON object"};
    auto ts = j.find("timestamp");
    if (ts == j.end() || !ts->is_number_integer()) {
        return {std::nullopt, "missing or non-integer \"timestamp\""};
    }
    auto sub = j.find("subsystem");
    if (sub == j.end() || !sub->is_string())
        return {std::nullopt, "missing or non-string \"subsystem\""};
    auto meas = j.find("measurement");
    if (meas == j.end() || !meas->is_string()) {
        return {std::nullopt, "missing or non-string \"measurement\""};
    }
    Record r;
    r.timestamp = ts->get<std::int64_t>();
    r.subsystem = sub->get<std::string>();
    r.measurement = meas->get<std::string>();
    return {std::move(r), {}};
}

}  // namespace pc::record
