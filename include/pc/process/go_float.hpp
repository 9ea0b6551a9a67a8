// Go's float formatting, byte for byte: fmt's %v (sar CSV cells) and encoding/json (system_info).
#pragma once

#include <cstdint>
#include <string>

namespace pc::process {

// Go %v of a float64 (strconv.FormatFloat(x, 'g', -1, 64)): the shortest digits that read back
// to x; exponent form "d.ddde±XX" (at least two exponent digits) when the decimal exponent is
// < -4 or >= 6, positional otherwise. 0 -> "0", -0 -> "-0", NaN -> "NaN", ±Inf -> "+Inf"/"-Inf".
void append_go_float(std::string& out, double x);
std::string go_float(double x);

// Go encoding/json of a float64: positional for 1e-6 <= |x| < 1e21, else exponent form with
// Go's "e-07" -> "e-7" clean-up. NaN and infinities cannot be encoded (throws std::domain_error).
void append_go_json_float(std::string& out, double x);

// Integers in plain decimal.
void append_int(std::string& out, std::int64_t v);
void append_uint(std::string& out, std::uint64_t v);

}  // namespace pc::process
