// The time window of the dashboard's machine page and its downloads, from the query string:
// a preset (window=15m, 1h, 6h, 24h, 7d; 1h when nothing is given) ending now, or a custom
// range: since and/or until, each Unix seconds or a UTC time "YYYY-MM-DDTHH:MM[:SS]" (what an
// <input type=datetime-local> sends). A custom range without since starts an hour before its
// until; without until it ends now. At most 31 days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pc::server {

struct DashboardWindow {
    std::int64_t since = 0;  // inclusive, Unix seconds
    std::int64_t until = 0;  // inclusive
    std::string preset;      // "1h" etc.; empty for a custom range
};

struct WindowPreset {
    std::string_view name;   // "1h"
    std::string_view label;  // "last hour"
    std::int64_t seconds;
};
const std::vector<WindowPreset>& window_presets();

struct WindowParse {
    std::optional<DashboardWindow> window;
    std::string error;  // one line naming the bad value, when `window` is empty
};

// Empty optionals are parameters not given (an empty string counts as not given).
WindowParse parse_window(const std::optional<std::string>& preset,
                         const std::optional<std::string>& since,
                         const std::optional<std::string>& until, std::int64_t now);

// "2026-12-06T05:40:00" (UTC), as parse_window reads and datetime-local inputs show.
std::string utc_input_time(std::int64_t unix_seconds);

}  // namespace pc::server
