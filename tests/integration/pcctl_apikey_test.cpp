// pcctl apikey on pcd's key files, and a running pcd picking the change up after SIGHUP.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "pc/keys/key_file.hpp"
#include "pcctl_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::pcctl;

unsigned file_mode(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
}

TEST(PcctlApikey, GenerateListRemoveOnTheKeyFile) {
    pc::test::TempDir home;
    auto h = home.path().string();
    auto r = pcctl({"apikey", "generate", "--home", h});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string key = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(r.out, key + "\n");  // stdout holds the key alone: KEY=$(pcctl apikey generate)
    EXPECT_TRUE(std::regex_match(key, std::regex("[A-Za-z0-9_-]{43}"))) << key;  // 256 bits
    EXPECT_NE(r.err.find("systemctl reload pcd"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("kill -HUP"), std::string::npos) << r.err;
    // Only the key's hash is stored (pcd compares hashes).
    EXPECT_EQ(pc::test::read_file(home / "apikeys"), pc::keys::hashed_key_line(key) + "\n");
    EXPECT_EQ(file_mode(home / "apikeys"), 0600u);

    // Global options before the subcommand, a key from stdin (kept out of argv).
    r = pcctl({"--home", h, "apikey", "add"}, {}, std::string("operator-chosen-key-1\n"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("as line 2"), std::string::npos) << r.out;

    r = pcctl({"apikey", "list"}, {{"PCD_HOME", h}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find(key), std::string::npos) << "list shows a key: " << r.out;
    EXPECT_EQ(r.out.find("operator-chosen-key-1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 keys"), std::string::npos) << r.out;

    r = pcctl({"apikey", "list", "--json", "--home", h});
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["keys"].size(), 2u);
    EXPECT_EQ(j["keys"][1]["line"], 2);
    std::string generated_fp = j["keys"][0]["fingerprint"];
    EXPECT_EQ(generated_fp.size(), 12u);

    r = pcctl({"apikey", "remove", generated_fp, "--home", h});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(pc::test::read_file(home / "apikeys"),
              pc::keys::hashed_key_line("operator-chosen-key-1") + "\n");
    EXPECT_EQ(file_mode(home / "apikeys"), 0600u);
    r = pcctl({"apikey", "remove", "--line", "1", "--home", h});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(pc::test::read_file(home / "apikeys"), "");

    r = pcctl({"apikey", "remove", generated_fp, "--home", h});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no key with fingerprint"), std::string::npos) << r.err;
}

TEST(PcctlApikey, AdminFileAndErrors) {
    pc::test::TempDir home;
    auto h = home.path().string();
    auto r = pcctl({"apikey", "list", "--home", h});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("pcctl apikey generate"), std::string::npos) << r.err;

    r = pcctl({"apikey", "generate", "--admin", "--home", h});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(home / "adminkeys"));
    EXPECT_FALSE(std::filesystem::exists(home / "apikeys"));

    r = pcctl({"apikey", "add", "short", "--home", h});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("shorter than 8"), std::string::npos) << r.err;

    auto custom = home / "elsewhere/keys";
    r = pcctl({"apikey", "generate"}, {{"PCD_APIKEYS_FILE", custom.string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(custom));
}

TEST(PcctlApikey, RunningPcdUsesANewKeyAfterSighup) {
    pc::test::PcdProcess pcd;
    pc::test::TempDir dir;
    auto collection = dir / "c.json";
    pc::test::write_file(collection, pc::test::synthetic_collection(2));
    auto h = pcd.home().string();

    auto r = pcctl({"apikey", "generate", "--home", h});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string key = r.out.substr(0, r.out.find('\n'));
    auto replay = [&] {
        return pcctl({"replay", collection.string(), "--identifier", "vm-new", "--restart"},
                     {{"PCC_SERVER_URL", pcd.url()}, {"PCC_APIKEY", key}});
    };
    r = replay();
    EXPECT_EQ(r.exit_code, 1) << "pcd accepted a key before reloading";
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;

    pcd.reload();
    bool accepted = false;
    for (int i = 0; i < 50 && !accepted; ++i) {  // the reload is asynchronous: bounded wait
        std::this_thread::sleep_for(100ms);
        accepted = replay().exit_code == 0;
    }
    EXPECT_TRUE(accepted) << pcd.err();
    EXPECT_EQ(pcd.err().find(key), std::string::npos) << "pcd logged the key";
}

}  // namespace
