// Inflates a gzip request body that httplib left compressed: it compares Content-Encoding with
// "gzip" case-sensitively, though content codings are case-insensitive (RFC 9110 §8.4.1), so a
// body sent as "GZIP" arrived still compressed (issue 19, item 12).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pc::server {

enum class InflateResult { ok, too_large, invalid };

// One or more gzip members in `in`, inflated into `out`, stopping (too_large) as soon as the
// output would pass `max_out` bytes, so a small bomb costs no more than the limit.
InflateResult gunzip_bounded(std::string_view in, std::uint64_t max_out, std::string& out);

}  // namespace pc::server
