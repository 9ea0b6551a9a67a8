// Our SHA-256 against published vectors (FIPS 180-2 appendix B / NIST examples) and against
// coreutils' sha256sum at every padding boundary.
#include "pc/keys/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pc/keys/key_file.hpp"
#include "test_support.hpp"

namespace {

std::string hex(std::string_view data) {
    return pc::keys::to_hex(pc::keys::sha256(data));
}

}  // namespace

TEST(Sha256, FipsVectors) {
    EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(
        hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
            "nopqrlmnopqrsmnopqrstnopqrstu"),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    EXPECT_EQ(hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShot) {
    std::string data;
    for (int i = 0; i < 300; ++i) data += static_cast<char>(i * 7 + 3);
    for (std::size_t split : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 299u}) {
        pc::keys::Sha256 h;
        h.update(std::string_view(data).substr(0, split));
        h.update(std::string_view(data).substr(split));
        EXPECT_EQ(pc::keys::to_hex(h.finish()), hex(data)) << "split at " << split;
    }
}

TEST(Sha256, MatchesSha256sumAtPaddingBoundaries) {
    pc::test::TempDir dir;
    for (std::size_t n : {1u, 54u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u, 200u}) {
        std::string data;
        for (std::size_t i = 0; i < n; ++i) data += static_cast<char>('!' + (i * 31) % 90);
        const auto r = pc::test::run({"/usr/bin/sha256sum"}, {}, std::chrono::seconds(10), data);
        if (r.exit_code != 0) GTEST_SKIP() << "sha256sum (coreutils) not runnable";
        EXPECT_EQ(r.out.substr(0, 64), hex(data)) << "length " << n;
    }
}

TEST(Sha256, FingerprintIsTheDigestPrefix) {
    EXPECT_EQ(pc::keys::key_fingerprint("abc"), "ba7816bf8f01");
}

TEST(KeyFile, FillRandomFillsAndDiffers) {
    unsigned char a[64] = {}, b[64] = {};
    pc::keys::fill_random(a, sizeof a);
    pc::keys::fill_random(b, sizeof b);
    EXPECT_NE(std::string(reinterpret_cast<char*>(a), 64),
              std::string(reinterpret_cast<char*>(b), 64));
}
