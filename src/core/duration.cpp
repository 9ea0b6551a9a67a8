#include "pc/core/duration.hpp"

#include <cstdint>
#include <limits>

#include "pc/core/error.hpp"

namespace pc::core {

namespace {

struct Unit {
    std::string_view name;
    std::int64_t nanos;
};

// Longest names first so "ms" is not read as "m".
constexpr Unit kUnits[] = {
    {"ns", 1},           {"us", 1000},      {"\xc2\xb5s", 1000},  // U+00B5 micro sign
    {"\xce\xbcs", 1000},                                          // U+03BC Greek mu
    {"ms", 1000000},     {"s", 1000000000}, {"m", 60LL * 1000000000}, {"h", 3600LL * 1000000000},
};

}  // namespace

std::optional<Duration> parse_duration(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return Duration(0);
    if (s.empty()) return std::nullopt;
    // Accumulate in long double: Go rejects overflow, and so do we.
    long double total = 0;
    while (!s.empty()) {
        std::size_t i = 0;
        long double whole = 0;
        bool digits = false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            whole = whole * 10 + (s[i] - '0');
            ++i;
            digits = true;
        }
        long double frac = 0, scale = 1;
        if (i < s.size() && s[i] == '.') {
            ++i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
                frac = frac * 10 + (s[i] - '0');
                scale *= 10;
                ++i;
                digits = true;
            }
        }
        if (!digits) return std::nullopt;
        s.remove_prefix(i);
        const Unit* unit = nullptr;
        for (const auto& u : kUnits) {
            if (s.substr(0, u.name.size()) == u.name) {
                // Prefer the longest match ("ms" over "m").
                if (!unit || u.name.size() > unit->name.size()) unit = &u;
            }
        }
        if (!unit) return std::nullopt;
        s.remove_prefix(unit->name.size());
        // unit / scale first, as Go does: exact for every fraction format_duration writes
        // ("33.6s" is 33600000000ns, not 33599999999).
        auto nanos_per_unit = static_cast<long double>(unit->nanos);
        total += whole * nanos_per_unit + frac * (nanos_per_unit / scale);
        if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
    }
    auto nanos = static_cast<std::int64_t>(total);
    return Duration(negative ? -nanos : nanos);
}

Duration parse_duration_or_throw(std::string_view text, std::string_view variable) {
    auto d = parse_duration(text);
    if (!d) {
        throw UsageError(std::string(variable) + ": invalid duration \"" + std::string(text) +
                         "\"; use Go syntax such as 10s, 1m30s or 24h");
    }
    return *d;
}

std::string format_duration(Duration d) {
    std::int64_t n = d.count();
    if (n == 0) return "0s";
    std::string sign = n < 0 ? "-" : "";
    std::uint64_t u =
        n < 0 ? static_cast<std::uint64_t>(-(n + 1)) + 1 : static_cast<std::uint64_t>(n);
    auto fraction = [](std::uint64_t value, std::uint64_t unit) {
        std::string s = std::to_string(value / unit);
        std::uint64_t rem = value % unit;
        if (rem) {
            std::string f = std::to_string(rem + unit).substr(1);
            while (!f.empty() && f.back() == '0') f.pop_back();
            s += "." + f;
        }
        return s;
    };
    if (u < 1000) return sign + std::to_string(u) + "ns";
    if (u < 1000000) return sign + fraction(u, 1000) + "us";
    if (u < 1000000000) return sign + fraction(u, 1000000) + "ms";
    std::uint64_t secs_total = u / 1000000000;
    std::uint64_t sub = u % 1000000000;
    std::uint64_t h = secs_total / 3600, m = (secs_total / 60) % 60, sec = secs_total % 60;
    std::string out = sign;
    if (h) out += std::to_string(h) + "h";
    if (h || m) out += std::to_string(m) + "m";
    out += fraction(sec * 1000000000 + sub, 1000000000) + "s";
    return out;
}

}  // namespace pc::core
