#include "pc/client/gzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Inflates one whole gzip member with zlib (independent of the compressor's code); throws when
// the data is not exactly one complete member.
std::string gunzip(const std::string& member) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
    zs.avail_in = static_cast<uInt>(member.size());
    std::string out;
    char buffer[16384];
    int rc;
    do {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - zs.avail_out);
    } while (rc == Z_OK);
    const bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!whole) throw std::runtime_error("not one complete gzip member");
    return out;
}

std::string proc_like_text(int seed, std::size_t lines) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::string text;
    for (std::size_t i = 0; i < lines; ++i)
        text += "cpu" + std::to_string(i % 8) + " " + std::to_string(rng() % 100000) + " " +
                std::to_string(rng()) + " 0 0 17\n";
    return text;
}

}  // namespace

TEST(Gzip, EachBodyIsACompleteMemberWhenTheStateIsReused) {
    pc::client::GzipCompressor compressor;
    std::string random_bytes(200000, '\0');
    std::mt19937 rng(7);
    for (auto& c : random_bytes) c = static_cast<char>(rng());
    const std::vector<std::string> bodies = {proc_like_text(1, 200),
                                             "",
                                             "x",
                                             random_bytes,  // incompressible, larger than a window
                                             proc_like_text(2, 5000),
                                             proc_like_text(1, 200)};
    std::vector<std::string> members;
    for (const auto& body : bodies) members.push_back(compressor.compress(body));
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        ASSERT_GE(members[i].size(), 18u);
        EXPECT_EQ(static_cast<unsigned char>(members[i][0]), 0x1f);
        EXPECT_EQ(static_cast<unsigned char>(members[i][1]), 0x8b);
        EXPECT_EQ(gunzip(members[i]), bodies[i]) << "body " << i;
    }
    // No state leaks from one body into the next: the same body gives the same bytes.
    EXPECT_EQ(members[0], members[5]);
    EXPECT_LT(members[4].size(), bodies[4].size() / 2);
}

TEST(Gzip, PerThreadFunctionRoundTrips) {
    const std::string body = proc_like_text(3, 1000);
    EXPECT_EQ(gunzip(pc::client::gzip_compress(body)), body);
    EXPECT_EQ(gunzip(pc::client::gzip_compress(body)), body);
    std::string from_thread;
    std::thread([&] { from_thread = pc::client::gzip_compress(body); }).join();
    EXPECT_EQ(gunzip(from_thread), body);
}
