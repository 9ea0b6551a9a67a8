// Default mode's two-decimal numbers: printf's "%.2f", as sar prints its figures.
#include "pc/process/fixed_number.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

using pc::process::append_fixed2;

namespace {

std::string fixed2(double x) {
    std::string s;
    append_fixed2(s, x);
    return s;
}

}  // namespace

TEST(FixedNumber, TheValuesOfIssue17) {
    EXPECT_EQ(fixed2(84.07960199011943), "84.08");
    EXPECT_EQ(fixed2(9.14e-11), "0.00");
    EXPECT_EQ(fixed2(100), "100.00");
    EXPECT_EQ(fixed2(0), "0.00");
    EXPECT_EQ(fixed2(4213072), "4213072.00");  // never exponent form
    EXPECT_EQ(fixed2(1e21), "1000000000000000000000.00");
}

TEST(FixedNumber, NoNegativeZero) {
    EXPECT_EQ(fixed2(-0.0), "0.00");
    EXPECT_EQ(fixed2(-0.004), "0.00");
    EXPECT_EQ(fixed2(-0.006), "-0.01");  // a real negative value stays visible
}

TEST(FixedNumber, RoundsExactlyAsPrintf) {
    // Ties on exactly representable values (0.125, 0.375) and values just under or over a tie
    // in binary (2.675 is 2.67499999..., 1.005 is 1.00499999...).
    for (double x : {0.125, 0.375, 0.625, 2.675, 1.005, 1.015, 0.005, 0.015, 99.995, 33.099297893,
                     12345678.905, 5.684341886080801e-13, 0.1 + 0.2, 1e15 + 0.125}) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f", x);
        EXPECT_EQ(fixed2(x), buf) << x;
    }
}
