// gzip trickle bodies the way pcd reads them: httplib's gzip decompressor feeding a callback
// that refuses to grow past the body limit, then the trickle decoder. A small body must never
// expand past the limit in memory, and corrupt gzip is an error, not a crash.
#include <httplib.h>

#include "fuzz_check.hpp"
#include "pc/api/trickle.hpp"

namespace {
constexpr std::size_t kMaxBody = 1 << 20;  // pcd's PCD_MAXBODY, scaled down
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    httplib::detail::gzip_decompressor inflater;
    FUZZ_CHECK(inflater.is_valid());
    std::string body;
    bool too_large = false;
    bool ok = inflater.decompress(reinterpret_cast<const char*>(data), size,
                                  [&](const char* chunk, std::size_t n) {
                                      if (body.size() + n > kMaxBody) {
                                          too_large = true;
                                          return false;
                                      }
                                      body.append(chunk, n);
                                      return true;
                                  });
    FUZZ_CHECK(body.size() <= kMaxBody);
    if (!ok || too_large) return 0;
    auto decoded = pc::api::decode_trickle_request(body);
    if (!decoded.request) FUZZ_CHECK(!decoded.error.empty());
    return 0;
}
