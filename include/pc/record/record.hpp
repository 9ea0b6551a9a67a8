// The one data model that crosses every boundary: a raw sample of one source at one tick.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc::record {

struct Record {
    std::int64_t timestamp = 0;  // Unix seconds, shared by all records of a tick
    std::string subsystem;       // "/proc/stat", "statfs[*]", ...
    std::string measurement;     // the source's raw text, byte for byte
    // Set by a producer that wrote `measurement` already as the record line carries it: the
    // quoted JSON string of the text, escaped as Go does (pcc's cgroup records, whose escaping
    // pass would cost more than the rest of their sampling). Decoders always give the text.
    bool measurement_is_json = false;

    bool operator==(const Record&) const = default;
};

// All records of one tick, in collection order.
using Tick = std::vector<Record>;

}  // namespace pc::record
