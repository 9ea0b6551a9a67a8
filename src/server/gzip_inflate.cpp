#include "pc/server/gzip_inflate.hpp"

#include <zlib.h>

#include <array>

namespace pc::server {

InflateResult gunzip_bounded(std::string_view in, std::uint64_t max_out, std::string& out) {
    out.clear();
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return InflateResult::invalid;  // gzip only
    struct End {
        z_stream& zs;
        ~End() { inflateEnd(&zs); }
    } end{zs};
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::array<char, 64 * 1024> chunk;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
        zs.avail_out = static_cast<uInt>(chunk.size());
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = chunk.size() - zs.avail_out;
        if (out.size() + produced > max_out) return InflateResult::too_large;
        out.append(chunk.data(), produced);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) return InflateResult::ok;
            // Another member follows (RFC 1952 allows several).
            if (inflateReset(&zs) != Z_OK) return InflateResult::invalid;
            continue;
        }
        if (rc != Z_OK || (zs.avail_in == 0 && produced == 0)) return InflateResult::invalid;
    }
}

}  // namespace pc::server
