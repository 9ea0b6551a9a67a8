// Default mode's numbers: two decimals, as sar prints them (printf "%.2f").
#pragma once

#include <string>

namespace pc::process {

// x with exactly two decimals, rounded as printf's "%.2f" rounds (the exact binary value to the
// nearest, ties to even), never in exponent form: 84.07960199011943 -> "84.08", 9.14e-11 ->
// "0.00", 4213072 -> "4213072.00". A value that rounds to zero from below prints "0.00", not
// "-0.00". Default mode never produces NaN or infinities; they print as "nan" / "inf" like printf.
void append_fixed2(std::string& out, double x);

}  // namespace pc::process
