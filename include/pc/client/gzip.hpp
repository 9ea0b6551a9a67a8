// gzip for request bodies (Content-Encoding: gzip).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace pc::client {

// Compresses bodies one after another with one deflate state, reset per body: setting up a
// state allocates and clears its buffers, which cost more than compressing a one-tick body.
// Level Z_BEST_SPEED: /proc text compresses nearly as well as at the default level.
class GzipCompressor {
public:
    GzipCompressor();  // throws std::runtime_error when zlib cannot set up
    ~GzipCompressor();
    GzipCompressor(const GzipCompressor&) = delete;
    GzipCompressor& operator=(const GzipCompressor&) = delete;

    // A complete gzip member (RFC 1952) holding `data`. Throws std::runtime_error on failure.
    std::string compress(std::string_view data);

private:
    struct State;
    std::unique_ptr<State> state_;
};

// gzip_compress through one GzipCompressor per thread (kept for the thread's life).
std::string gzip_compress(std::string_view data);

}  // namespace pc::client
