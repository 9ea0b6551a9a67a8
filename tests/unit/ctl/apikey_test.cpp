#include "pc/ctl/apikey.hpp"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

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
    // Only the hashes are stored: the file alone never reveals a key.
    EXPECT_EQ(read_file(file), pc::keys::hashed_key_line("first-key-123456") + "\n" +
                                   pc::keys::hashed_key_line("second-key-abcdef") + "\n");
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
    EXPECT_EQ(read_file(file), pc::keys::hashed_key_line("existing-key-1") + "\n");
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
    ::chmod(file.c_str(), 0640);
    auto fp = pc::keys::key_fingerprint("drop-this-key-2");
    auto removed = pc::ctl::remove_api_key_by_fingerprint(file, fp.substr(0, 6));
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0].line, 4u);
    EXPECT_EQ(removed[1].line, 5u);
    EXPECT_EQ(read_file(file), "# machine keys\nkeep-this-key-1\n\n");
    EXPECT_EQ(file_mode(file), 0640u);  // the rewrite keeps the mode the operator chose
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

namespace {

TEST(ApiKeyAdmin, DefaultHomeIsTheServiceUsersHomeWhenItExists) {
    passwd* me = ::getpwuid(::geteuid());
    ASSERT_NE(me, nullptr);
    std::string name = me->pw_name;
    std::filesystem::path my_home = me->pw_dir;
    if (std::filesystem::is_directory(my_home)) {
        EXPECT_EQ(pc::ctl::default_home(name.c_str()), my_home);
    }
    ::setenv("HOME", "/home/op", 1);
    EXPECT_EQ(pc::ctl::default_home("no-such-user-pcd-test"), "/home/op/.pcd");
}

TEST(ApiKeyAdmin, AddAsRootKeepsTheOwnerOfTheServicesKeyFile) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown to another user (run as root)";
    TempDir dir;
    auto file = dir / "apikeys";
    write_file(file, "existing-key-1\n");
    ASSERT_EQ(::chown(file.c_str(), 4321, 4322), 0);
    ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
    pc::ctl::add_api_key(file, "second-key-22");
    pc::ctl::remove_api_key_by_line(file, 1);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 4321u);
    EXPECT_EQ(st.st_gid, 4322u);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(read_file(file), pc::keys::hashed_key_line("second-key-22") + "\n");
}

TEST(ApiKeyAdmin, HashReplacesPlainKeysAndKeepsTheirFingerprints) {
    TempDir dir;
    auto file = dir / "apikeys";
    const std::string hashed_other = pc::keys::hashed_key_line("other-key-9876");
    write_file(file, "# agents\nplain-key-1234\nshort\n" + hashed_other + "\n\n");
    auto before = pc::ctl::list_api_keys(file);
    EXPECT_EQ(before.plain, 1u);

    EXPECT_EQ(pc::ctl::hash_key_file(file), 1u);
    EXPECT_EQ(read_file(file), "# agents\n" + pc::keys::hashed_key_line("plain-key-1234") +
                                   "\nshort\n" + hashed_other + "\n\n");
    auto after = pc::ctl::list_api_keys(file);
    EXPECT_EQ(after.plain, 0u);
    ASSERT_EQ(after.keys.size(), 2u);
    EXPECT_EQ(after.keys[0].fingerprint, before.keys[0].fingerprint);
    EXPECT_EQ(after.keys[0].fingerprint, pc::keys::key_fingerprint("plain-key-1234"));
    EXPECT_EQ(after.keys[1].fingerprint, pc::keys::key_fingerprint("other-key-9876"));
    EXPECT_EQ(pc::ctl::hash_key_file(file), 0u);

    // A hashed key is still recognised as present, and removable by fingerprint or line.
    EXPECT_THROW(pc::ctl::add_api_key(file, "plain-key-1234"), pc::core::UserError);
    EXPECT_EQ(pc::ctl::remove_api_key_by_line(file, 4).fingerprint,
              pc::keys::key_fingerprint("other-key-9876"));
    pc::ctl::remove_api_key_by_fingerprint(file, pc::keys::key_fingerprint("plain-key-1234"));
    EXPECT_EQ(read_file(file), "# agents\nshort\n\n");
}

TEST(ApiKeyAdmin, KeysCanBeBoundToIdentifiersAndHashingKeepsTheBinding) {
    TempDir dir;
    auto file = dir / "apikeys";
    auto added = pc::ctl::add_api_key(file, "web-agents-key-1", {"web-*", "db-01"});
    EXPECT_EQ(added.identifiers, (std::vector<std::string>{"web-*", "db-01"}));
    EXPECT_EQ(read_file(file), pc::keys::hashed_key_line("web-agents-key-1") + " web-* db-01\n");
    EXPECT_THROW(pc::ctl::add_api_key(file, "other-key-0002", {"web/01"}), pc::core::UsageError);
    EXPECT_THROW(pc::ctl::add_api_key(file, "other-key-0002", {".hidden"}), pc::core::UsageError);

    // A plain line with a binding, written by hand: `pcctl apikey hash` keeps the binding.
    write_file(file, read_file(file) + "plain-bound-key-3 app-??\n");
    EXPECT_EQ(pc::ctl::hash_key_file(file), 1u);
    auto listing = pc::ctl::list_api_keys(file);
    ASSERT_EQ(listing.keys.size(), 2u);
    EXPECT_EQ(listing.keys[1].identifiers, (std::vector<std::string>{"app-??"}));
    EXPECT_EQ(listing.plain, 0u);
    auto parsed = pc::keys::parse_key_file(read_file(file));
    ASSERT_EQ(parsed.keys.size(), 2u);
    EXPECT_TRUE(parsed.keys[1].hashed);
    EXPECT_TRUE(parsed.keys[1].allows("app-01"));
    EXPECT_FALSE(parsed.keys[1].allows("web-01"));
    EXPECT_EQ(read_file(file).find("plain-bound-key-3"), std::string::npos);
}

}  // namespace
