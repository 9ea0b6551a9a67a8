// The trickle wire format (pcc -> pcd), compatible with the original's pcapi.TrickleRequest.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/record/record.hpp"

namespace pc::api {

inline constexpr std::string_view kRoutePing = "/v1/ping";
inline constexpr std::string_view kRouteTrickle = "/v1/trickle";
inline constexpr std::string_view kRouteVersion = "/v1/version";
inline constexpr std::string_view kRouteMachines = "/v1/machines";
inline constexpr std::string_view kRouteHealth = "/health";
inline constexpr std::string_view kRouteMetrics = "/metrics";
inline constexpr std::string_view kRouteLoadTest = "/v1/loadtest";

// {"identifier":"...","measurements":[{record}...]} plus our optional "batch_id": a string
// unique per batch for one identifier, chosen by the sender. pcd stores a batch whose
// batch_id it has already stored once (a resend after a lost response) only once. The
// original pcc sends no batch_id; such requests are always stored.
struct TrickleRequest {
    std::string identifier;
    std::vector<record::Record> measurements;
    std::optional<std::string> batch_id;
};

// Records are written exactly as in a collection file (Go escaping, key order).
std::string encode_trickle_request(const TrickleRequest& request);

struct TrickleDecode {
    std::optional<TrickleRequest> request;
    std::string error;  // why the body was rejected, safe to send back to the client
};

// Strict: a JSON object with a string "identifier" and an array "measurements" of objects with
// integer "timestamp", string "subsystem" and string "measurement". Unknown keys are ignored.
// Depth and size are bounded by the caller (the body limit).
TrickleDecode decode_trickle_request(std::string_view body);
// The same with the full JSON parser only (decode_trickle_request first tries a scanner for
// pcc's exact shape, trickle_scan.hpp); tests check that both agree.
TrickleDecode decode_trickle_request_json(std::string_view body);

}  // namespace pc::api
