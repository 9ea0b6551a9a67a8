#include "pc/process/fixed_number.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace pc::process {

void append_fixed2(std::string& out, double x) {
    if (x <= 0 && x > -0.005) x = 0.0;  // -0 and -0.004 would print "-0.00"
    // std::to_chars with a precision rounds exactly as printf does in the C locale, and is
    // locale- and allocation-free.
    char buf[400];  // the longest double in fixed form: 309 digits, '-', '.', 2 decimals
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 2);
    if (res.ec != std::errc()) return;  // cannot happen with this buffer
    out.append(buf, res.ptr);
}

}  // namespace pc::process
