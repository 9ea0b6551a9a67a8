#include "pc/process/go_float.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace pc::process {

namespace {

// x != 0, finite: its shortest round-trip digits and the exponent of the first digit.
struct Decimal {
    bool negative = false;
    char digits[24];
    int ndigits = 0;
    int exponent = 0;  // x = d.ddd × 10^exponent
};

Decimal shortest(double x) {
    char buf[40];
    // Scientific form without precision gives the shortest round-trip digits, printf-style:
    // "-d.ddde-XX" (sign of the exponent always, at least two exponent digits).
    const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    Decimal d;
    const char* p = buf;
    if (*p == '-') {
        d.negative = true;
        ++p;
    }
    d.digits[0] = *p++;
    d.ndigits = 1;
    if (*p == '.') {
        ++p;
        const auto* e =
            static_cast<const char*>(std::memchr(p, 'e', static_cast<std::size_t>(res.ptr - p)));
        const auto fraction = static_cast<std::size_t>(e - p);
        std::memcpy(d.digits + 1, p, fraction);
        d.ndigits += static_cast<int>(fraction);
        p = e;
    }
    ++p;  // 'e'
    const bool negative_exponent = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    int exponent = 0;
    for (; p < res.ptr; ++p) exponent = exponent * 10 + (*p - '0');
    d.exponent = negative_exponent ? -exponent : exponent;
    return d;
}

void append_exponent_form(std::string& out, const Decimal& d, bool pad_exponent) {
    out += d.digits[0];
    if (d.ndigits > 1) {
        out += '.';
        out.append(d.digits + 1, static_cast<std::size_t>(d.ndigits - 1));
    }
    out += 'e';
    out += d.exponent < 0 ? '-' : '+';
    int e = d.exponent < 0 ? -d.exponent : d.exponent;
    if (e < 10 && pad_exponent) out += '0';
    char buf[8];
    auto res = std::to_chars(buf, buf + sizeof buf, e);
    out.append(buf, res.ptr);
}

void append_positional(std::string& out, const Decimal& d) {
    const int n = d.ndigits;
    const int e = d.exponent;
    if (e < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-e - 1), '0');
        out.append(d.digits, static_cast<std::size_t>(n));
    } else if (n <= e + 1) {
        out.append(d.digits, static_cast<std::size_t>(n));
        out.append(static_cast<std::size_t>(e + 1 - n), '0');
    } else {
        out.append(d.digits, static_cast<std::size_t>(e + 1));
        out += '.';
        out.append(d.digits + e + 1, static_cast<std::size_t>(n - e - 1));
    }
}

}  // namespace

void append_go_float(std::string& out, double x) {
    if (std::isnan(x)) {
        out += "NaN";
        return;
    }
    if (std::isinf(x)) {
        out += x > 0 ? "+Inf" : "-Inf";
        return;
    }
    if (x == 0) {
        out += std::signbit(x) ? "-0" : "0";
        return;
    }
    // The shortest digits' exponent is < -4 exactly when |x| < 1e-4, and >= 6 exactly when
    // |x| >= 1e6 (a shortest form round-trips, and rounding is monotonic), so the form is
    // chosen before formatting, and the positional form is to_chars' own shortest fixed form.
    const double a = std::fabs(x);
    if (a >= 1e-4 && a < 1e6) {
        char buf[48];
        const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
        out.append(buf, res.ptr);
        return;
    }
    Decimal d = shortest(x);
    if (d.negative) out += '-';
    append_exponent_form(out, d, true);
}

std::string go_float(double x) {
    std::string s;
    append_go_float(s, x);
    return s;
}

void append_go_json_float(std::string& out, double x) {
    if (!std::isfinite(x)) throw std::domain_error("json: unsupported value: " + go_float(x));
    if (x == 0) {
        out += std::signbit(x) ? "-0" : "0";
        return;
    }
    Decimal d = shortest(x);
    if (d.negative) out += '-';
    double a = std::fabs(x);
    if (a < 1e-6 || a >= 1e21) {
        // strconv 'e' pads the exponent to two digits; encoding/json then turns "e-07" into
        // "e-7" (negative exponents only).
        append_exponent_form(out, d, d.exponent >= 0);
    } else {
        append_positional(out, d);
    }
}

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

}  // namespace pc::process
