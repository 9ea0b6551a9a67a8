#include "pc/api/health.hpp"

#include <nlohmann/json.hpp>

namespace pc::api {

std::string encode_health(const Health& h) {
    nlohmann::ordered_json j;
    j["status"] = h.status;
    if (!h.reason.empty()) j["reason"] = h.reason;
    j["version"] = h.version;
    j["uptime_seconds"] = h.uptime_seconds;
    j["requests"] = h.requests;
    j["rejected"] = h.rejected;
    j["batches_stored"] = h.batches_stored;
    j["duplicates"] = h.duplicates;
    j["records_stored"] = h.records_stored;
    j["bytes_stored"] = h.bytes_stored;
    j["machines"] = h.machines;
    j["store_failures"] = h.store_failures;
    return j.dump();
}

std::optional<Health> decode_health(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    try {
        Health h;
        h.status = j.at("status").get<std::string>();
        h.version = j.at("version").get<std::string>();
        h.uptime_seconds = j.at("uptime_seconds").get<std::int64_t>();
        h.requests = j.at("requests").get<std::uint64_t>();
        h.rejected = j.at("rejected").get<std::uint64_t>();
        h.batches_stored = j.at("batches_stored").get<std::uint64_t>();
        h.duplicates = j.at("duplicates").get<std::uint64_t>();
        h.records_stored = j.at("records_stored").get<std::uint64_t>();
        h.bytes_stored = j.at("bytes_stored").get<std::uint64_t>();
        h.machines = j.at("machines").get<std::uint64_t>();
        // Both newer than the first pcd: absent from an older one's answer.
        if (j.contains("reason")) h.reason = j.at("reason").get<std::string>();
        if (j.contains("store_failures")) {
            h.store_failures = j.at("store_failures").get<std::uint64_t>();
        }
        return h;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace pc::api
