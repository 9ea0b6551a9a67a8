// A fast path for decode_trickle_request: a scanner for the body exactly as pcc (ours and the
// original) writes it, which builds the request without a JSON document tree.
#pragma once

#include <optional>
#include <string_view>

#include "pc/api/trickle.hpp"

namespace pc::api {

// Decodes `{"identifier":S[,"batch_id":S],"measurements":[{"timestamp":N,"subsystem":S,
// "measurement":S},...]}` with no whitespace, ASCII strings and no \u escapes. Anything else
// (other key orders, whitespace, extra keys, null, non-ASCII, \u escapes, bad numbers, every
// malformed body) gives nullopt: the caller then decodes with the full JSON parser, so the
// fast path never accepts what the full parser rejects and decodes what it accepts identically.
std::optional<TrickleRequest> scan_canonical_trickle_request(std::string_view body);

}  // namespace pc::api
