// /v1/ping bodies: the original's {"timestamp":n} request and
// {"origintimestamp":n,"timestamp":now}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pc::api {

struct PingRequest {
    std::int64_t timestamp = 0;  // sender's clock, Unix seconds; echoed back unchanged
};

struct PingResponse {
    std::int64_t origin_timestamp = 0;  // the request's timestamp (0 for GET)
    std::int64_t timestamp = 0;         // server clock, Unix seconds
};

std::string encode_ping_request(const PingRequest& request);
// nullopt when the body is not an object with an integer "timestamp".
std::optional<PingRequest> decode_ping_request(std::string_view body);

std::string encode_ping_response(const PingResponse& response);
std::optional<PingResponse> decode_ping_response(std::string_view body);

}  // namespace pc::api
