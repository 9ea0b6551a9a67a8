// What the store knows of one machine without reading its collection.
#pragma once

#include <cstdint>
#include <string>

namespace pc::store {

struct MachineSummary {
    std::string identifier;
    std::uint64_t records = 0;         // records stored in the collection
    std::uint64_t bytes = 0;           // size of the stored collection
    std::int64_t first_timestamp = 0;  // first record's timestamp (0 when empty)
    std::int64_t last_timestamp = 0;   // last record's timestamp (0 when empty)
    std::int64_t last_seen = 0;        // Unix seconds of the last stored batch (0: never)

    bool operator==(const MachineSummary&) const = default;
};

}  // namespace pc::store
