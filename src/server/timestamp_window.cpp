#include "pc/server/timestamp_window.hpp"

#include <charconv>
#include <ctime>
#include <limits>

#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"

namespace pc::server {

namespace {

bool is_none(const std::string& text) {
    const auto lower = core::to_lower(core::trim(text));
    return lower == "none" || lower == "off";
}

// "2026-12-06T03:04:05Z", or the number itself where gmtime cannot say (far out of range).
std::string utc_text(std::int64_t seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    char text[32];
    if (::gmtime_r(&t, &tm) == nullptr ||
        std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        return std::to_string(seconds);
    }
    return text;
}

}  // namespace

TimestampWindow parse_timestamp_window(const std::string& oldest, const std::string& ahead,
                                       const std::string& oldest_name,
                                       const std::string& ahead_name) {
    TimestampWindow window;
    if (is_none(oldest)) {
        window.oldest.reset();
    } else {
        std::int64_t value = 0;
        const auto text = core::trim(oldest);
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
            throw core::UsageError(oldest_name + ": \"" + oldest +
                                   "\" is not a Unix timestamp in seconds (e.g. 946684800 for "
                                   "2000-01-01) or none");
        }
        window.oldest = value;
    }
    if (is_none(ahead)) {
        window.max_ahead.reset();
    } else {
        auto d = core::parse_duration(core::trim(ahead));
        if (!d || d->count() < 0) {
            throw core::UsageError(ahead_name + ": \"" + ahead +
                                   "\" is not a duration such as 24h or 1h30m, or none");
        }
        window.max_ahead = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
    }
    return window;
}

std::optional<std::string> find_outside(const TimestampWindow& window,
                                        const std::vector<record::Record>& records,
                                        std::int64_t now) {
    // Saturating: a huge PCD_MAX_AHEAD must not wrap around.
    std::optional<std::int64_t> newest;
    if (window.max_ahead) {
        newest = *window.max_ahead > std::numeric_limits<std::int64_t>::max() - now
                     ? std::numeric_limits<std::int64_t>::max()
                     : now + *window.max_ahead;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const bool too_old = window.oldest && r.timestamp < *window.oldest;
        const bool too_new = newest && r.timestamp > *newest;
        if (!too_old && !too_new) continue;
        std::string why = too_old
                              ? "before " + utc_text(*window.oldest) + " (PCD_MIN_TIMESTAMP)"
                              : "more than " +
                                    core::format_duration(std::chrono::seconds(*window.max_ahead)) +
                                    " ahead of the server's clock (PCD_MAX_AHEAD)";
        return "record " + std::to_string(i + 1) + " (" + r.subsystem.substr(0, 64) +
               ") has timestamp " + std::to_string(r.timestamp) + ", " + why +
               ": check the agent's clock; the batch was not stored";
    }
    return std::nullopt;
}

}  // namespace pc::server
