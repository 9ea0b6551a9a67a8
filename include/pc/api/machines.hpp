// Admin routes' bodies: GET /v1/machines and the path of GET /v1/machines/<id>/collection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pc::api {

struct MachineSummary {
    std::string identifier;
    std::uint64_t records = 0;         // records stored in the collection
    std::uint64_t bytes = 0;           // size of the stored collection file
    std::int64_t first_timestamp = 0;  // first record's timestamp (0 when empty)
    std::int64_t last_timestamp = 0;   // last record's timestamp (0 when empty)
    std::int64_t last_seen = 0;        // Unix seconds of the last stored batch (0: never)

    bool operator==(const MachineSummary&) const = default;
};

// {"machines":[{"identifier":..,"records":..,"bytes":..,"first_timestamp":..,
//  "last_timestamp":..,"last_seen":..},...]}
std::string encode_machines(const std::vector<MachineSummary>& machines);
std::optional<std::vector<MachineSummary>> decode_machines(std::string_view body);

// "/v1/machines/<id>/collection" (the identifier must be record::valid_identifier()).
std::string machine_collection_path(std::string_view identifier);

}  // namespace pc::api
