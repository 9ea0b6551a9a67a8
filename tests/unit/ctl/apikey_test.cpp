#include "pc/ctl/apikey.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>

#include "pc/core/error.hpp"
#include "pc/keys/key_file.hpp"
#include "test_support.hpp"

namespace {

using pc::test::read_file;
using pc::test::TempDir;
using pc::test::write_file;

unsigned file_mode(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 0777;
}

TEST(ApiKeyAdmin, AddCreatesFileWithMode0600AndListShowsFingerprintsOnly) {
    TempDir dir;
    auto file = dir / "home/apikeys";
    auto first = pc::ctl::add_api_key(file, "first-key-123456");
    auto second = pc::ctl::add_api_key(file, "  second-key-abcdef \n");
    EXPECT_EQ(first.line, 1u);
    EXPECT_EQ(second.line, 2u);
    EXPECT_EQ(read_file(file), "first-key-123456\nsecond-key-abcdef\n");
    EXPECT_EQ(file_mode(file), 0600u);

    auto listing = pc::ctl::list_api_keys(file);
    ASSERT_EQ(listing.keys.size(), 2u);
    EXPECT_EQ(listing.keys[0].line, 1u);
    EXPECT_EQ(listing.keys[0].fingerprint, pc::keys::key_fingerprint("first-key-123456"));
    EXPECT_EQ(listing.keys[1].fingerprint, pc::keys::key_fingerprint("second-key-abcdef"));
    EXPECT_FALSE(listing.readable_by_others);
}

TEST(ApiKeyAdmin, AddRejectsShortDuplicateCommentAndWhitespaceKeys) {
    TempDir dir;
    auto file = dir / "apikeys";
    pc::ctl::add_api_key(file, "existing-key-1");
    EXPECT_THROW(pc::ctl::add_api_key(file, "short"), pc::core::UserError);
    EXPECT_THROW(pc::ctl::add_api_key(file, "existing-key-1"), pc::core::UserError);
    EXPECT_THROW(pc::ctl::add_api_key(file, "#commented-key"), pc::core::UserError);
    EXPECT_THROW(pc::ctl::add_api_key(file, "has space inside"), pc::core::UserError);
    EXPECT_THROW(pc::ctl::add_api_key(file, ""), pc::core::UserError);
    EXPECT_EQ(read_file(file), "existing-key-1\n");
    try {
        pc::ctl::add_api_key(file, "existing-key-1");
    } catch (const pc::core::UserError& e) {
        // The message names the fingerprint, never the key.
        EXPECT_EQ(std::string(e.what()).find("existing-key-1"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find(pc::keys::key_fingerprint("existing-key-1")),
                  std::string::npos);
    }
}

TEST(ApiKeyAdmin, RemoveByFingerprintKeepsCommentsAndOtherKeys) {
    TempDir dir;
    auto file = dir / "apikeys";
    write_file(file, "# machine keys\nkeep-this-key-1\n\ndrop-this-key-2\ndrop-this-key-2\n");
    auto fp = pc::keys::key_fingerprint("drop-this-key-2");
    auto removed = pc::ctl::remove_api_key_by_fingerprint(file, fp.substr(0, 6));
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0].line, 4u);
    EXPECT_EQ(removed[1].line, 5u);
    EXPECT_EQ(read_file(file), "# machine keys\nkeep-this-key-1\n\n");
    EXPECT_EQ(file_mode(file), 0600u);
    EXPECT_THROW(pc::ctl::remove_api_key_by_fingerprint(file, fp), pc::core::UserError);
    EXPECT_THROW(pc::ctl::remove_api_key_by_fingerprint(file, "xyz!"), pc::core::UserError);
    EXPECT_THROW(pc::ctl::remove_api_key_by_fingerprint(file, "ab"), pc::core::UserError);
}

TEST(ApiKeyAdmin, RemoveByAmbiguousPrefixIsRefused) {
    TempDir dir;
    auto file = dir / "apikeys";
    // Two keys whose fingerprints share their first 4 hex digits (a birthday search: a few
    // hundred candidates suffice, the bound only keeps the loop finite).
    std::map<std::string, std::string> by_prefix;
    std::string a, b;
    for (int i = 0; i < 200000 && b.empty(); ++i) {
        std::string candidate = "ambiguous-key-" + std::to_string(i);
        auto [it, inserted] =
            by_prefix.emplace(pc::keys::key_fingerprint(candidate).substr(0, 4), candidate);
        if (!inserted) {
            a = it->second;
            b = candidate;
        }
    }
    ASSERT_FALSE(b.empty());
    auto fa = pc::keys::key_fingerprint(a);
    write_file(file, a + "\n" + b + "\n");
    EXPECT_THROW(pc::ctl::remove_api_key_by_fingerprint(file, fa.substr(0, 4)),
                 pc::core::UserError);
    EXPECT_EQ(read_file(file), a + "\n" + b + "\n");
    pc::ctl::remove_api_key_by_fingerprint(file, fa);
    EXPECT_EQ(read_file(file), b + "\n");
}

TEST(ApiKeyAdmin, RemoveByLineTakesIgnoredKeysButNotComments) {
    TempDir dir;
    auto file = dir / "apikeys";
    write_file(file, "# comment\nshort\nvalid-key-12345\n");
    EXPECT_THROW(pc::ctl::remove_api_key_by_line(file, 1), pc::core::UserError);
    EXPECT_THROW(pc::ctl::remove_api_key_by_line(file, 9), pc::core::UserError);
    auto removed = pc::ctl::remove_api_key_by_line(file, 2);
    EXPECT_EQ(removed.line, 2u);
    EXPECT_EQ(read_file(file), "# comment\nvalid-key-12345\n");
}

TEST(ApiKeyAdmin, ListOfMissingFileSaysHowToCreateOne) {
    TempDir dir;
    try {
        pc::ctl::list_api_keys(dir / "nope");
        FAIL() << "expected UserError";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("pcctl apikey generate"), std::string::npos);
    }
}

TEST(ApiKeyAdmin, ListWarnsAboutIgnoredLinesAndLooseMode) {
    TempDir dir;
    auto file = dir / "apikeys";
    write_file(file, "tiny\nvalid-key-12345\n");
    ::chmod(file.c_str(), 0644);
    auto listing = pc::ctl::list_api_keys(file);
    ASSERT_EQ(listing.keys.size(), 1u);
    EXPECT_EQ(listing.keys[0].line, 2u);
    ASSERT_EQ(listing.warnings.size(), 1u);
    EXPECT_NE(listing.warnings[0].find("line 1"), std::string::npos);
    EXPECT_TRUE(listing.readable_by_others);
}

TEST(ApiKeyAdmin, KeyFilePathFollowsPcdDefaults) {
    pc::ctl::GlobalOptions g;
    g.home = "/srv/pcd";
    ::unsetenv("PCD_APIKEYS_FILE");
    ::unsetenv("PCD_ADMINKEYS_FILE");
    EXPECT_EQ(pc::ctl::key_file_path(g, ""), "/srv/pcd/apikeys");
    g.admin = true;
    EXPECT_EQ(pc::ctl::key_file_path(g, ""), "/srv/pcd/adminkeys");
    ::setenv("PCD_ADMINKEYS_FILE", "/etc/pcd/admin", 1);
    EXPECT_EQ(pc::ctl::key_file_path(g, ""), "/etc/pcd/admin");
    EXPECT_EQ(pc::ctl::key_file_path(g, "/x/y"), "/x/y");
    ::unsetenv("PCD_ADMINKEYS_FILE");
    g.admin = false;
    ::setenv("PCD_APIKEYS_FILE", "/etc/pcd/keys", 1);
    EXPECT_EQ(pc::ctl::key_file_path(g, ""), "/etc/pcd/keys");
    ::unsetenv("PCD_APIKEYS_FILE");
    ::setenv("HOME", "/home/op", 1);
    g.home = "~/.pcd";
    EXPECT_EQ(pc::ctl::key_file_path(g, ""), "/home/op/.pcd/apikeys");
}

}  // namespace
