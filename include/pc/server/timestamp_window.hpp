// The record timestamps pcd accepts. Any key could once store a record dated 2100 under any
// identifier, after which pcprocess skipped that machine's real records and validate called its
// collection corrupt (issue 19, item 6): a batch with a timestamp before a sane oldest date or too
// far ahead of pcd's clock is refused whole, with 400 naming the record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pc/record/record.hpp"

namespace pc::server {

struct TimestampWindow {
    std::optional<std::int64_t> oldest = 946684800;  // Unix seconds (2000-01-01); none: no bound
    std::optional<std::int64_t> max_ahead = 86400;   // seconds beyond pcd's clock; none: no bound
};

// PCD_MIN_TIMESTAMP (Unix seconds, or "none") and PCD_MAX_AHEAD (a Go duration such as "24h",
// or "none"). Throws core::UsageError naming the setting (`oldest_name`, `ahead_name`).
TimestampWindow parse_timestamp_window(const std::string& oldest, const std::string& ahead,
                                       const std::string& oldest_name,
                                       const std::string& ahead_name);

// One line naming the first record outside the window at `now` (Unix seconds) and the bounds,
// or nullopt when every record is inside.
std::optional<std::string> find_outside(const TimestampWindow& window,
                                        const std::vector<record::Record>& records,
                                        std::int64_t now);

}  // namespace pc::server
