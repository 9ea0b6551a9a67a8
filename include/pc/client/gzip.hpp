// gzip for request bodies (Content-Encoding: gzip).
#pragma once

#include <string>
#include <string_view>

namespace pc::client {

// A complete gzip member (RFC 1952) holding `data`. Throws std::runtime_error on zlib failure.
std::string gzip_compress(std::string_view data);

}  // namespace pc::client
