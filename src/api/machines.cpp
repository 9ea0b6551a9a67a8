#include "pc/api/machines.hpp"

#include <nlohmann/json.hpp>

#include "pc/api/trickle.hpp"

namespace pc::api {

std::string encode_machines(const std::vector<MachineSummary>& machines) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& m : machines) {
        nlohmann::ordered_json j;
        j["identifier"] = m.identifier;
        j["records"] = m.records;
        j["bytes"] = m.bytes;
        j["first_timestamp"] = m.first_timestamp;
        j["last_timestamp"] = m.last_timestamp;
        j["last_seen"] = m.last_seen;
        list.push_back(std::move(j));
    }
    nlohmann::ordered_json out;
    out["machines"] = std::move(list);
    return out.dump();
}

std::optional<std::vector<MachineSummary>> decode_machines(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto list = j.find("machines");
    if (list == j.end() || !list->is_array()) return std::nullopt;
    std::vector<MachineSummary> out;
    try {
        for (const auto& m : *list) {
            MachineSummary s;
            s.identifier = m.at("identifier").get<std::string>();
            s.records = m.at("records").get<std::uint64_t>();
            s.bytes = m.at("bytes").get<std::uint64_t>();
            s.first_timestamp = m.at("first_timestamp").get<std::int64_t>();
            s.last_timestamp = m.at("last_timestamp").get<std::int64_t>();
            s.last_seen = m.at("last_seen").get<std::int64_t>();
            out.push_back(std::move(s));
        }
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return out;
}

std::string machine_collection_path(std::string_view identifier) {
    std::string out(kRouteMachines);
    out += '/';
    out += identifier;
    out += "/collection";
    return out;
}

}  // namespace pc::api
