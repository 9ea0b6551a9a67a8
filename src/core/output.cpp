#include "pc/core/output.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "pc/core/duration.hpp"

namespace pc::core {

void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(headers.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            width[i] = std::max(width[i], row[i].size());
        }
    };
    measure(headers);
    for (const auto& row : rows) measure(row);
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out << line << '\n';
    };
    print_row(headers);
    for (const auto& row : rows) print_row(row);
}

void print_json(std::ostream& out, const nlohmann::json& value) {
    out << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string format_utc(std::int64_t unix_seconds) {
    // Clamped to years 0000..9999 (what RFC 3339 can spell): gmtime's year is an int, and a
    // timestamp near +-2^63 would print garbage or nothing.
    constexpr std::int64_t kFirst = -62167219200;  // 0000-01-01T00:00:00Z
    constexpr std::int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
    std::time_t t = static_cast<std::time_t>(std::clamp(unix_seconds, kFirst, kLast));
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    // Not strftime: its %Y does not pad years below 1000 to four digits. Room for any int.
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", value, units[unit]);
    return buf;
}

std::string format_seconds(std::int64_t seconds) {
    constexpr std::uint64_t day = 86400;
    // The magnitude as unsigned, so that -2^63 has one too; a day or more never reaches
    // format_duration, whose nanoseconds would overflow.
    std::uint64_t magnitude =
        seconds < 0 ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
    if (magnitude >= day) {
        return std::string(seconds < 0 ? "-" : "") + std::to_string(magnitude / day) + "d" +
               std::to_string((magnitude % day) / 3600) + "h";
    }
    return format_duration(std::chrono::seconds(seconds));
}

}  // namespace pc::core
