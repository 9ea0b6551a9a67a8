// SHA-256 (FIPS 180-4) of our own, for key fingerprints: keeps OpenSSL out of programs that never
// speak TLS (pcc in local mode would otherwise load libcrypto just to hash a key).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pc::keys {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hashing: update() any number of times, then finish() once.
class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    Sha256Digest finish();

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_bytes_ = 0;
};

Sha256Digest sha256(std::string_view data);

// Lower-case hex of the first `bytes` bytes of `digest` (all 32 by default).
std::string to_hex(const Sha256Digest& digest, std::size_t bytes = 32);

}  // namespace pc::keys
