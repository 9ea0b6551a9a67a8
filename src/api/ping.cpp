#include "pc/api/ping.hpp"

#include <nlohmann/json.hpp>

namespace pc::api {

namespace {

std::optional<std::int64_t> int_member(const nlohmann::json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) return std::nullopt;
    return it->get<std::int64_t>();
}

}  // namespace

std::string encode_ping_request(const PingRequest& request) {
    return "{\"timestamp\":" + std::to_string(request.timestamp) + "}";
}

std::optional<PingRequest> decode_ping_request(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto ts = int_member(j, "timestamp");
    if (!ts) return std::nullopt;
    return PingRequest{*ts};
}

std::string encode_ping_response(const PingResponse& response) {
    return "{\"origintimestamp\":" + std::to_string(response.origin_timestamp) +
           ",\"timestamp\":" + std::to_string(response.timestamp) + "}";
}

std::optional<PingResponse> decode_ping_response(std::string_view body) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto origin = int_member(j, "origintimestamp");
    auto ts = int_member(j, "timestamp");
    if (!origin || !ts) return std::nullopt;
    return PingResponse{*origin, *ts};
}

}  // namespace pc::api
