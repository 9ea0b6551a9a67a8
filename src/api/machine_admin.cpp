#include "pc/api/machine_admin.hpp"

#include <nlohmann/json.hpp>

#include "pc/api/trickle.hpp"

namespace pc::api {

namespace {

std::optional<nlohmann::json> parse_object(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

std::string machine_path(std::string_view identifier, std::string_view action) {
    std::string out(kRouteMachines);
    out += '/';
    out += identifier;
    out += '/';
    out += action;
    return out;
}

}  // namespace

std::string encode_trim_response(const TrimResponse& r) {
    nlohmann::ordered_json j;
    j["identifier"] = r.identifier;
    j["before"] = r.before;
    j["removed_batches"] = r.removed_batches;
    j["removed_records"] = r.removed_records;
    j["removed_bytes"] = r.removed_bytes;
    j["records"] = r.records;
    j["bytes"] = r.bytes;
    return j.dump();
}

std::optional<TrimResponse> decode_trim_response(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return std::nullopt;
    try {
        TrimResponse r;
        r.identifier = j->at("identifier").get<std::string>();
        r.before = j->at("before").get<std::int64_t>();
        r.removed_batches = j->at("removed_batches").get<std::uint64_t>();
        r.removed_records = j->at("removed_records").get<std::uint64_t>();
        r.removed_bytes = j->at("removed_bytes").get<std::uint64_t>();
        r.records = j->at("records").get<std::uint64_t>();
        r.bytes = j->at("bytes").get<std::uint64_t>();
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string encode_delete_response(const DeleteResponse& r) {
    nlohmann::ordered_json j;
    j["identifier"] = r.identifier;
    j["deleted"] = true;
    j["records"] = r.records;
    j["bytes"] = r.bytes;
    return j.dump();
}

std::optional<DeleteResponse> decode_delete_response(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return std::nullopt;
    try {
        if (!j->at("deleted").get<bool>()) return std::nullopt;
        DeleteResponse r;
        r.identifier = j->at("identifier").get<std::string>();
        r.records = j->at("records").get<std::uint64_t>();
        r.bytes = j->at("bytes").get<std::uint64_t>();
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string machine_trim_path(std::string_view identifier) {
    return machine_path(identifier, "trim");
}

std::string machine_delete_path(std::string_view identifier) {
    return machine_path(identifier, "delete");
}

}  // namespace pc::api
