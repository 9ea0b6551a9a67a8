#include "pc/keys/key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/keys/sha256.hpp"
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

namespace {

struct stat stat_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st;
}

// A group of ours other than the effective one, to chown to without privilege.
std::optional<gid_t> other_group_of_ours() {
    std::vector<gid_t> groups(static_cast<std::size_t>(std::max(::getgroups(0, nullptr), 0)));
    int n = ::getgroups(static_cast<int>(groups.size()), groups.data());
    for (int i = 0; i < n; ++i) {
        if (groups[static_cast<std::size_t>(i)] != ::getegid()) {
            return groups[static_cast<std::size_t>(i)];
        }
    }
    return std::nullopt;
}

}  // namespace

TEST(KeyFile, RewriteKeepsTheModeOfTheFileItReplaces) {
    pc::test::TempDir dir;
    auto file = dir / "apikeys";
    pc::keys::write_key_file(file, {"first-key-123"});
    EXPECT_EQ(stat_of(file).st_mode & 07777, 0600u);  // a new file
    ::chmod(file.c_str(), 0640);
    pc::keys::write_key_file(file, {"first-key-123", "second-key-456"});
    EXPECT_EQ(stat_of(file).st_mode & 07777, 0640u);
    EXPECT_EQ(pc::test::read_file(file), "first-key-123\nsecond-key-456\n");
}

TEST(KeyFile, RewriteKeepsTheGroupOfTheFileItReplaces) {
    auto group = other_group_of_ours();
    if (::geteuid() == 0) group = 4242;  // root may give any group
    if (!group) GTEST_SKIP() << "the user running the tests belongs to one group only";
    pc::test::TempDir dir;
    auto file = dir / "apikeys";
    pc::keys::write_key_file(file, {"first-key-123"});
    ASSERT_EQ(::chown(file.c_str(), ::geteuid(), *group), 0);
    pc::keys::write_key_file(file, {"second-key-456"});
    EXPECT_EQ(stat_of(file).st_gid, *group);
    EXPECT_EQ(stat_of(file).st_uid, ::geteuid());
}

TEST(KeyFile, RootRewritingTheServicesFileLeavesItToTheService) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown to another user (run as root)";
    pc::test::TempDir dir;
    auto home = dir / "home";
    std::filesystem::create_directories(home);
    ASSERT_EQ(::chown(home.c_str(), 4321, 4322), 0);

    // A new file in the service's home belongs to the home's owner, mode 0600.
    auto file = home / "apikeys";
    pc::keys::write_key_file(file, {"first-key-123"});
    auto st = stat_of(file);
    EXPECT_EQ(st.st_uid, 4321u);
    EXPECT_EQ(st.st_gid, 4322u);
    EXPECT_EQ(st.st_mode & 07777, 0600u);

    // A rewrite keeps whatever the operator set, not the directory's ids.
    ASSERT_EQ(::chown(file.c_str(), 4323, 4324), 0);
    ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
    pc::keys::write_key_file(file, {"first-key-123", "second-key-456"});
    st = stat_of(file);
    EXPECT_EQ(st.st_uid, 4323u);
    EXPECT_EQ(st.st_gid, 4324u);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_EQ(pc::test::read_file(file), "first-key-123\nsecond-key-456\n");
}

TEST(KeyFile, RewriteThatCannotKeepTheOwnerFailsAndLeavesTheFile) {
    if (::geteuid() == 0)
        GTEST_SKIP() << "root can give any owner; this checks an unprivileged run";
    pc::test::TempDir dir;
    auto file = dir / "apikeys";
    pc::keys::write_key_file(file, {"first-key-123"});
    // Our file, but asking for another user's group: fchown refuses without privilege.
    pc::core::FileOwner root_owner{0, 0};
    EXPECT_THROW(pc::core::write_file_atomic(file, "x\n", 0600, root_owner), pc::core::UserError);
    EXPECT_EQ(pc::test::read_file(file), "first-key-123\n");
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(e.path().filename(), "apikeys") << "temp file left behind";
    }
}

TEST(KeyFile, HashedLinesAreKeysKnownOnlyByTheirDigest) {
    const std::string line = pc::keys::hashed_key_line("secret-key-1");
    EXPECT_EQ(line.find("secret"), std::string::npos);
    EXPECT_EQ(line.size(), 7u + 64u);
    std::string upper = "SHA256:";  // the prefix is exact; only the digits' case is free
    auto kf = pc::keys::parse_key_file(line + "\n  " + "sha256:" + std::string(64, 'A') +
                                       "  \nsha256:abc\n" + upper + std::string(64, '0') + "\n");
    ASSERT_EQ(kf.keys.size(), 3u);
    EXPECT_TRUE(kf.keys[0].hashed);
    EXPECT_EQ(kf.keys[0].digest_hex(), line.substr(7));
    EXPECT_EQ(kf.keys[0].fingerprint(), pc::keys::key_fingerprint("secret-key-1"));
    EXPECT_EQ(kf.keys[1].key, std::string(64, 'a'));
    EXPECT_FALSE(kf.keys[2].hashed);  // "SHA256:000..." is just a (plain) key
    ASSERT_EQ(kf.warnings.size(), 1u);
    EXPECT_NE(kf.warnings[0].find("line 3"), std::string::npos);
    EXPECT_NE(kf.warnings[0].find("64 hex digits"), std::string::npos);

    pc::keys::KeyEntry plain{1, "secret-key-1", false, {}};
    EXPECT_EQ(plain.digest_hex(), kf.keys[0].digest_hex());
}

TEST(KeyFile, WordsAfterTheKeyBindItToIdentifierPatterns) {
    const std::string hashed = pc::keys::hashed_key_line("bound-key-77", {"db-??", "web-*"});
    EXPECT_TRUE(hashed.ends_with(" db-?? web-*"));
    auto kf = pc::keys::parse_key_file(
        "free-key-12345\n"
        "plain-bound-1  web-01\tweb-02\n" +
        hashed + "\n" +
        "bad-pattern-key web/01\n"
        "sha256:" +
        std::string(64, 'b') + " .hidden\n");
    ASSERT_EQ(kf.keys.size(), 3u);
    EXPECT_TRUE(kf.keys[0].identifiers.empty());
    EXPECT_TRUE(kf.keys[0].allows("anything-at-all"));
    EXPECT_EQ(kf.keys[1].key, "plain-bound-1");
    EXPECT_EQ(kf.keys[1].identifiers, (std::vector<std::string>{"web-01", "web-02"}));
    EXPECT_TRUE(kf.keys[1].allows("web-02"));
    EXPECT_FALSE(kf.keys[1].allows("web-03"));
    EXPECT_TRUE(kf.keys[2].hashed);
    EXPECT_EQ(kf.keys[2].digest_hex(), pc::keys::to_hex(pc::keys::sha256("bound-key-77")));
    EXPECT_TRUE(kf.keys[2].allows("db-01"));
    EXPECT_FALSE(kf.keys[2].allows("db-001"));
    EXPECT_TRUE(kf.keys[2].allows("web-"));
    EXPECT_FALSE(kf.keys[2].allows("victim"));
    // A line whose binding cannot be read is dropped, never widened to "any identifier".
    ASSERT_EQ(kf.warnings.size(), 2u);
    EXPECT_NE(kf.warnings[0].find("line 4"), std::string::npos);
    EXPECT_NE(kf.warnings[0].find("identifier patterns"), std::string::npos);
    EXPECT_EQ(kf.warnings[0].find("bad-pattern-key"), std::string::npos);  // never the key
    EXPECT_NE(kf.warnings[1].find("line 5"), std::string::npos);
}

TEST(KeyFile, IdentifierPatternsMatchLikeTheShell) {
    using pc::keys::identifier_matches;
    EXPECT_TRUE(identifier_matches("web-01", "web-01"));
    EXPECT_FALSE(identifier_matches("web-01", "web-011"));
    EXPECT_FALSE(identifier_matches("web-01", "web-0"));
    EXPECT_TRUE(identifier_matches("*", "x"));
    EXPECT_TRUE(identifier_matches("web-*", "web-"));
    EXPECT_TRUE(identifier_matches("*-prod", "db-eu-prod"));
    EXPECT_FALSE(identifier_matches("*-prod", "db-eu-prod2"));
    EXPECT_TRUE(identifier_matches("a*b*c", "aXXbYYbZc"));
    EXPECT_FALSE(identifier_matches("a*b*c", "aXXbYYbZ"));
    EXPECT_TRUE(identifier_matches("h?st", "host"));
    EXPECT_FALSE(identifier_matches("h?st", "hst"));
    // Many stars against a long near-miss stays fast (no exponential backtracking).
    EXPECT_FALSE(identifier_matches("*a*a*a*a*a*a*a*a*b", std::string(128, 'a')));
    EXPECT_TRUE(pc::keys::valid_identifier_pattern("db-??.eu_*"));
    EXPECT_FALSE(pc::keys::valid_identifier_pattern(".hidden*"));
    EXPECT_FALSE(pc::keys::valid_identifier_pattern("a/b"));
    EXPECT_FALSE(pc::keys::valid_identifier_pattern(""));
    EXPECT_FALSE(pc::keys::valid_identifier_pattern(std::string(129, 'a')));
}
