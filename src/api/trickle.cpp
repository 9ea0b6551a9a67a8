#include "pc/api/trickle.hpp"

#include <nlohmann/json.hpp>

#include "pc/api/json_depth.hpp"
#include "pc/api/trickle_scan.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/go_json.hpp"

namespace pc::api {

std::string encode_trickle_request(const TrickleRequest& request) {
    std::string out = "{\"identifier\":";
    record::append_go_json_string(out, request.identifier);
    if (request.batch_id) {
        out += ",\"batch_id\":";
        record::append_go_json_string(out, *request.batch_id);
    }
    out += ",\"measurements\":[";
    bool first = true;
    for (const auto& r : request.measurements) {
        if (!first) out += ',';
        first = false;
        record::encode_record(r, out);
        out.pop_back();  // the record line's '\n'
    }
    out += "]}";
    return out;
}

TrickleDecode decode_trickle_request(std::string_view body) {
    // pcc's bodies take the scanner; everything else (and every error) the full parser.
    if (auto fast = scan_canonical_trickle_request(body)) {
        return {std::move(*fast), {}};
    }
    return decode_trickle_request_json(body);
}

TrickleDecode decode_trickle_request_json(std::string_view body) {
    if (json_nesting_depth(body, kMaxRequestNesting) > kMaxRequestNesting) {
        return {std::nullopt,
                "JSON nested deeper than " + std::to_string(kMaxRequestNesting) + " levels"};
    }
    // Members we do not know are skipped as they are parsed, never built: what a request costs
    // in memory is its known content, whatever else a client sends.
    auto known_members_only = [](int depth, nlohmann::json::parse_event_t event,
                                 nlohmann::json& parsed) {
        if (event != nlohmann::json::parse_event_t::key) return true;
        const auto& name = parsed.get_ref<const std::string&>();
        if (depth == 1) return name == "identifier" || name == "batch_id" || name == "measurements";
        if (depth == 3) return name == "timestamp" || name == "subsystem" || name == "measurement";
        return true;
    };
    nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), known_members_only, false);
    if (j.is_discarded()) return {std::nullopt, "malformed JSON body"};
    if (!j.is_object()) return {std::nullopt, "body must be a JSON object"};
    TrickleRequest req;
    auto id = j.find("identifier");
    if (id == j.end() || !id->is_string()) return {std::nullopt, "missing string \"identifier\""};
    req.identifier = id->get<std::string>();
    if (auto b = j.find("batch_id"); b != j.end() && !b->is_null()) {
        if (!b->is_string() || b->get_ref<const std::string&>().empty() ||
            b->get_ref<const std::string&>().size() > 128) {
            return {std::nullopt, "\"batch_id\" must be a string of 1 to 128 characters"};
        }
        req.batch_id = b->get<std::string>();
    }
    auto ms = j.find("measurements");
    if (ms == j.end() || !(ms->is_array() || ms->is_null())) {
        return {std::nullopt, "missing array \"measurements\""};
    }
    if (ms->is_array()) {
        req.measurements.reserve(ms->size());
        std::size_t index = 0;
        for (const auto& m : *ms) {
            auto where = "measurements[" + std::to_string(index++) + "]";
            if (!m.is_object()) return {std::nullopt, where + " is not an object"};
            auto ts = m.find("timestamp");
            auto sub = m.find("subsystem");
            auto meas = m.find("measurement");
            if (ts == m.end() || !ts->is_number_integer()) {
                return {std::nullopt, where + ": missing integer \"timestamp\""};
            }
            if (sub == m.end() || !sub->is_string()) {
                return {std::nullopt, where + ": missing string \"subsystem\""};
            }
            if (meas == m.end() || !meas->is_string()) {
                return {std::nullopt, where + ": missing string \"measurement\""};
            }
            if (ts->is_number_unsigned() && ts->get<std::uint64_t>() > INT64_MAX) {
                return {std::nullopt, where + ": \"timestamp\" out of range"};
            }
            req.measurements.push_back(record::Record{
                ts->get<std::int64_t>(), sub->get<std::string>(), meas->get<std::string>()});
        }
    }
    return {std::move(req), {}};
}

}  // namespace pc::api
