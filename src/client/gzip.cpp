#include "pc/client/gzip.hpp"

#include <zlib.h>

#include <stdexcept>

namespace pc::client {

struct GzipCompressor::State {
    z_stream stream{};
};

GzipCompressor::GzipCompressor() : state_(std::make_unique<State>()) {
    // windowBits 15 + 16: write a gzip header and trailer instead of a zlib one. memLevel 5
    // (8 KB hash table instead of 64 KB): deflateReset clears the table per body, which cost
    // more than compressing a one-tick body (~5 KB); such bodies come out the same size.
    if (deflateInit2(&state_->stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 5, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
}

GzipCompressor::~GzipCompressor() {
    deflateEnd(&state_->stream);
}

std::string GzipCompressor::compress(std::string_view data) {
    z_stream& zs = state_->stream;
    // Each body is its own gzip member; reset keeps the allocated window and hash.
    if (deflateReset(&zs) != Z_OK) throw std::runtime_error("gzip: deflateReset failed");
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto written = zs.total_out;
    zs.next_in = nullptr;  // `data` is not ours to keep pointing at
    zs.next_out = nullptr;
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
    out.resize(written);
    return out;
}

std::string gzip_compress(std::string_view data) {
    thread_local GzipCompressor compressor;
    return compressor.compress(data);
}

}  // namespace pc::client
