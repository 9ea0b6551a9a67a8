#include "pc/keys/key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "pc/core/error.hpp"
#include "test_support.hpp"

TEST(KeyFile, ParsesAndWarnsByLineNumberOnly) {
    auto kf = pc::keys::parse_key_file(
        "goodkey-123456\n\n# comment\nshort\n  padded-key-99  \nhas space key\n");
    ASSERT_EQ(kf.keys.size(), 2u);
    EXPECT_EQ(kf.keys[0].key, "goodkey-123456");
    EXPECT_EQ(kf.keys[0].line, 1u);
    EXPECT_EQ(kf.keys[1].key, "padded-key-99");
    EXPECT_EQ(kf.keys[1].line, 5u);
    ASSERT_EQ(kf.warnings.size(), 2u);
    EXPECT_NE(kf.warnings[0].find("line 4"), std::string::npos);
    EXPECT_EQ(kf.warnings[0].find("short"),
              kf.warnings[0].find("shorter"));  // never the key itself
    EXPECT_NE(kf.warnings[1].find("line 6"), std::string::npos);
}

TEST(KeyFile, MissingFileSaysHowToCreateOne) {
    try {
        pc::keys::load_key_file("/nonexistent/apikeys");
        FAIL();
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("pcctl apikey generate"), std::string::npos);
    }
}

TEST(KeyFile, WriteIsPrivateAndLoadable) {
    pc::test::TempDir dir;
    auto p = dir / "home" / "apikeys";
    pc::keys::write_key_file(p, {"aaaaaaaaaaaa", "bbbbbbbbbbbb"});
    struct stat st {};
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto kf = pc::keys::load_key_file(p);
    EXPECT_EQ(kf.keys.size(), 2u);
    EXPECT_FALSE(kf.readable_by_others);
    ::chmod(p.c_str(), 0644);
    EXPECT_TRUE(pc::keys::load_key_file(p).readable_by_others);
}

TEST(KeyFile, GeneratedKeysAreLongUrlSafeAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto k = pc::keys::generate_api_key();
        EXPECT_EQ(k.size(), 43u);
        for (char c : k)
            EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
        seen.insert(k);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(KeyFile, FingerprintAndCompare) {
    EXPECT_EQ(pc::keys::key_fingerprint("secret-key-1").size(), 12u);
    EXPECT_NE(pc::keys::key_fingerprint("secret-key-1"), pc::keys::key_fingerprint("secret-key-2"));
    EXPECT_EQ(pc::keys::key_fingerprint("secret-key-1").find("secret"), std::string::npos);
    EXPECT_TRUE(pc::keys::constant_time_equal("abcdefgh", "abcdefgh"));
    EXPECT_FALSE(pc::keys::constant_time_equal("abcdefgh", "abcdefgx"));
    EXPECT_FALSE(pc::keys::constant_time_equal("abcdefgh", "abcdefg"));
}
