// A closed range of record timestamps, either end open: the `since`/`until` of a query.
#pragma once

#include <cstdint>
#include <optional>

namespace pc::store {

struct TimeRange {
    std::optional<std::int64_t> since;  // inclusive
    std::optional<std::int64_t> until;  // inclusive
    bool contains(std::int64_t t) const {
        return (!since || t >= *since) && (!until || t <= *until);
    }
};

}  // namespace pc::store
