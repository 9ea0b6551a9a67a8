// Go %v and encoding/json float formatting: the spec's table and the real values it lists.
#include "pc/process/go_float.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using pc::process::append_go_json_float;
using pc::process::go_float;

namespace {
std::string json(double x) {
    std::string s;
    append_go_json_float(s, x);
    return s;
}
}  // namespace

TEST(GoFloat, SpecTable) {
    EXPECT_EQ(go_float(0), "0");
    EXPECT_EQ(go_float(100), "100");
    EXPECT_EQ(go_float(2266.4), "2266.4");
    EXPECT_EQ(go_float(72.0 / 1000 * 100), "7.199999999999999");
    EXPECT_EQ(go_float(123456.7), "123456.7");
    EXPECT_EQ(go_float(4213072), "4.213072e+06");
    EXPECT_EQ(go_float(0.0001), "0.0001");
    EXPECT_EQ(go_float(0.00001), "1e-05");
    EXPECT_EQ(go_float(999999), "999999");
    EXPECT_EQ(go_float(1000000), "1e+06");
    EXPECT_EQ(go_float(1234567.8), "1.2345678e+06");
    EXPECT_EQ(go_float(1e21), "1e+21");
}

TEST(GoFloat, RealValuesFromTheOriginalsOutputs) {
    EXPECT_EQ(go_float(5.684341886080801e-13), "5.684341886080801e-13");
    EXPECT_EQ(go_float(1.8189894035458565e-11), "1.8189894035458565e-11");
    EXPECT_EQ(go_float(4.1943072e+06), "4.1943072e+06");
    EXPECT_EQ(go_float(2.641104e+06), "2.641104e+06");
    EXPECT_EQ(go_float(6.038902711225091e-10), "6.038902711225091e-10");
    // The spec's worked examples, computed with the original's operation order.
    EXPECT_EQ(go_float((367.69 - 357.57) / 20.0 * 100), "50.60000000000002");
    EXPECT_EQ(go_float((123.72 - 123.69) / 20.0 * 100), "0.15000000000000568");
    EXPECT_EQ(go_float(22.0 / 500 * 100), "4.3999999999999995");
    EXPECT_EQ(go_float((8214.0 / 1000 * 100) / 1024), "0.8021484375000001");
}

TEST(GoFloat, SpecialValuesAndSigns) {
    EXPECT_EQ(go_float(-0.0), "-0");
    EXPECT_EQ(go_float(-12.4), "-12.4");
    EXPECT_EQ(go_float(-0.00001), "-1e-05");
    EXPECT_EQ(go_float(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(go_float(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(go_float(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(go_float(1e100), "1e+100");
    EXPECT_EQ(go_float(5e-324), "5e-324");
    EXPECT_EQ(go_float(120000), "120000");
    EXPECT_EQ(go_float(0.000123), "0.000123");
}

TEST(GoJsonFloat, PositionalBetweenOneMillionthAndOneE21) {
    EXPECT_EQ(json(2600), "2600");
    EXPECT_EQ(json(5187.81), "5187.81");
    EXPECT_EQ(json(1e6), "1000000");
    EXPECT_EQ(json(1e20), "100000000000000000000");
    EXPECT_EQ(json(1e21), "1e+21");
    EXPECT_EQ(json(0.000001), "0.000001");
    EXPECT_EQ(json(0.0000001), "1e-7");
    EXPECT_EQ(json(1.5e-10), "1.5e-10");
    EXPECT_EQ(json(0), "0");
    EXPECT_THROW(json(std::nan("")), std::domain_error);
}

// Across the whole double range: go_float reads back as the same double, with the digits of
// the shortest round-trip form (std::to_chars), in exponent form exactly when that form's
// exponent is < -4 or >= 6 (strconv's 'g' with the shortest precision, as %v uses).
TEST(GoFloat, RoundTripsWithTheShortestDigitsAcrossTheRange) {
    std::mt19937_64 random(20261201);
    auto digit_count = [](std::string_view s) {
        std::size_t n = 0;
        for (char c : s.substr(0, s.find('e'))) n += (c >= '0' && c <= '9');
        return n;
    };
    for (int i = 0; i < 200000; ++i) {
        double x;
        do {
            const std::uint64_t bits = random();
            std::memcpy(&x, &bits, sizeof x);
        } while (!std::isfinite(x) || x == 0);
        const std::string text = go_float(x);
        ASSERT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
        char buf[40];
        const auto end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific).ptr;
        const std::string shortest(buf, end);
        const int exponent = std::stoi(shortest.substr(shortest.find('e') + 1));
        const bool exponent_form = text.find('e') != std::string::npos;
        ASSERT_EQ(exponent_form, exponent < -4 || exponent >= 6) << text << " vs " << shortest;
        if (exponent_form) {
            EXPECT_EQ(digit_count(text), digit_count(shortest)) << text;
        }
    }
}

// Between 1e-4 and 1e6 go_float writes the shortest digits positionally; checked against the
// digits of the shortest scientific form, for log-uniform values around that range and for
// the neighbours of its bounds.
TEST(GoFloat, PositionalFormMatchesTheShortestDigits) {
    auto reference = [](double x) {
        char buf[40];
        const auto end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific).ptr;
        const std::string sci(buf, end);
        const auto e_at = sci.find('e');
        std::string digits;
        for (char c : sci.substr(0, e_at)) {
            if (c >= '0' && c <= '9') digits += c;
        }
        const int e = std::stoi(sci.substr(e_at + 1));
        std::string out = x < 0 ? "-" : "";
        if (e < -4 || e >= 6) return std::string();  // exponent form: not this test's case
        const int n = static_cast<int>(digits.size());
        if (e < 0) {
            out += "0." + std::string(static_cast<std::size_t>(-e - 1), '0') + digits;
        } else if (n <= e + 1) {
            out += digits + std::string(static_cast<std::size_t>(e + 1 - n), '0');
        } else {
            out += digits.substr(0, static_cast<std::size_t>(e + 1)) + "." +
                   digits.substr(static_cast<std::size_t>(e + 1));
        }
        return out;
    };
    std::vector<double> values;
    for (double bound : {1e-4, 1e6}) {
        double below = bound, above = bound;
        for (int i = 0; i < 5; ++i) {
            below = std::nextafter(below, 0.0);
            above = std::nextafter(above, 1e300);
            values.insert(values.end(), {below, above, -below, -above});
        }
        values.push_back(bound);
    }
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> log10_value(-5.0, 7.0);
    for (int i = 0; i < 100000; ++i) {
        const double x = std::pow(10.0, log10_value(random));
        values.push_back(i % 2 ? x : -x);
    }
    for (double x : values) {
        const std::string text = go_float(x);
        ASSERT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
        const std::string want = reference(x);
        if (want.empty()) {
            EXPECT_NE(text.find('e'), std::string::npos) << text;
        } else {
            EXPECT_EQ(text, want);
        }
    }
}
