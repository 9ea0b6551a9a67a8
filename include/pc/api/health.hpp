// GET /health body: liveness plus the counters an operator looks at first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pc::api {

struct Health {
    std::string status = "ok";  // ok, or degraded (then `reason` says why)
    std::string reason;         // empty when ok; sent only when set
    std::string version;
    std::int64_t uptime_seconds = 0;
    std::uint64_t requests = 0;        // HTTP requests answered since start
    std::uint64_t rejected = 0;        // trickle requests answered with 4xx/5xx
    std::uint64_t batches_stored = 0;  // trickle batches durably stored
    std::uint64_t duplicates = 0;      // resent batches recognised by batch_id and not stored again
    std::uint64_t records_stored = 0;
    std::uint64_t bytes_stored = 0;
    std::uint64_t machines = 0;        // identifiers with a collection in the store
    std::uint64_t store_failures = 0;  // appends the store could not take (answered 503)
};

std::string encode_health(const Health& health);
std::optional<Health> decode_health(std::string_view body);

}  // namespace pc::api
