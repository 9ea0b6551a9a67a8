#include "pc/server/dashboard_window.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace pc::server {

namespace {

constexpr std::int64_t kMaxSpan = 31 * 86400;

// Unix seconds, or "YYYY-MM-DDTHH:MM[:SS]" read as UTC.
std::optional<std::int64_t> parse_time(std::string_view text) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size()) return value;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    const std::string copy(text);
    const int n =
        std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
    const bool minutes_only = n == 5 && copy.size() == 16;
    const bool with_seconds = n == 6 && copy.size() == 19;
    if (!minutes_only && !with_seconds) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 ||
        s < 0) {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;
    const auto days = sys_days(date).time_since_epoch().count();
    return std::int64_t{days} * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace

const std::vector<WindowPreset>& window_presets() {
    static const std::vector<WindowPreset> presets{{"15m", "last 15 minutes", 900},
                                                   {"1h", "last hour", 3600},
                                                   {"6h", "last 6 hours", 6 * 3600},
                                                   {"24h", "last 24 hours", 86400},
                                                   {"7d", "last 7 days", 7 * 86400}};
    return presets;
}

WindowParse parse_window(const std::optional<std::string>& preset,
                         const std::optional<std::string>& since,
                         const std::optional<std::string>& until, std::int64_t now) {
    const auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
    WindowParse out;
    if (!given(since) && !given(until)) {
        const std::string name = given(preset) ? *preset : "1h";
        for (const auto& p : window_presets()) {
            if (p.name == name) {
                out.window = DashboardWindow{now - p.seconds, now, std::string(p.name)};
                return out;
            }
        }
        out.error = "window \"" + name + "\" is not one of 15m, 1h, 6h, 24h, 7d";
        return out;
    }
    DashboardWindow w;
    if (given(until)) {
        auto t = parse_time(*until);
        if (!t) {
            out.error = "until \"" + *until +
                        "\" is neither Unix seconds nor a UTC time like 2026-01-31T14:00";
            return out;
        }
        w.until = *t;
    } else {
        w.until = now;
    }
    if (given(since)) {
        auto t = parse_time(*since);
        if (!t) {
            out.error = "since \"" + *since +
                        "\" is neither Unix seconds nor a UTC time like 2026-01-31T13:00";
            return out;
        }
        w.since = *t;
    } else {
        w.since = w.until - 3600;
    }
    if (w.since > w.until) {
        out.error = "since is after until: choose a start before the end";
        return out;
    }
    if (w.until - w.since > kMaxSpan) {
        out.error = "the window is longer than 31 days: choose a shorter one";
        return out;
    }
    out.window = w;
    return out;
}

std::string utc_input_time(std::int64_t unix_seconds) {
    using namespace std::chrono;
    const sys_seconds t{seconds{unix_seconds}};
    const auto days = floor<std::chrono::days>(t);
    const year_month_day date{days};
    const hh_mm_ss time{t - days};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                  int(time.minutes().count()), int(time.seconds().count()));
    return buffer;
}

}  // namespace pc::server
