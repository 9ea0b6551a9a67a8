// The log archive that the secrets sweep (tests/sweep) reads: under ctest every program a test
// starts leaves its stderr and the keys it was handed there.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST(LogArchive, EveryChildLeavesItsStderrAndKeys) {
    const auto dir = pc::test::log_archive_dir();
    if (!fs::is_directory(dir))
        GTEST_SKIP() << dir
                     << " does not exist: ctest's SecretsSweep.ClearLogArchive fixture "
                        "creates it; run this test through ctest";
    pc::test::TempDir home;
    pc::test::write_file(home / "apikeys", "key-from-file-Qw7eR9tY\n# comment\n");
    auto r = pc::test::run(
        {(pc::test::bin_dir() / "pcc").string(), "--duration", "soon"},
        {{"PCC_APIKEY", "key-from-env-Zx8cV6bN"}, {"PCD_HOME", home.path().string()}}, 20s);
    ASSERT_EQ(r.exit_code, 2);  // the bad duration, a usage error: pcc says so on stderr
    // The archive entry of that child: the keys file naming both keys, and its log.
    bool found = false;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".keys") continue;
        const auto keys = pc::test::read_file(entry.path());
        if (keys.find("key-from-env-Zx8cV6bN\n") == std::string::npos) continue;
        found = true;
        EXPECT_NE(keys.find("key-from-file-Qw7eR9tY\n"), std::string::npos) << keys;
        EXPECT_EQ(keys.find("# comment"), std::string::npos) << keys;
        auto log = entry.path();
        log.replace_extension(".log");
        ASSERT_TRUE(fs::exists(log));
        EXPECT_NE(pc::test::read_file(log).find("--duration"), std::string::npos);
    }
    EXPECT_TRUE(found) << "no archive entry for the pcc run in " << dir;
}

TEST(LogArchive, KeysKnownToAChild) {
    pc::test::TempDir home;
    pc::test::write_file(home / "adminkeys", "admin-key-Lp0oK9iJ\r\n");
    const auto keys =
        pc::test::keys_known_to({"pcctl", "--adminkey", "flag-key-Mn8bV7cX",
                                 "--apikey=eq-key-Rt5yU4iO", "apikey", "add", "added-key-As2dF3gH"},
                                {{"XATBACKEND_APIKEY", "portal-key-Qa1sW2eD"},
                                 {"PCD_TLSKEY", "/not/a/key.pem"},
                                 {"PCD_HOME", home.path().string()}});
    const std::vector<std::string> want{"portal-key-Qa1sW2eD", "flag-key-Mn8bV7cX",
                                        "eq-key-Rt5yU4iO", "added-key-As2dF3gH",
                                        "admin-key-Lp0oK9iJ"};
    EXPECT_EQ(keys, want);
}

}  // namespace
