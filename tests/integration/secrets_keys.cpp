// API keys never leak: pcctl, pcd and pcc run through their key-handling paths (generate,
// add, list, reload, good and wrong keys, admin routes, debug logging) and every line they
// print is searched for the keys. Key files are created 0600, and pcd warns about key files
// that others can read.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;
namespace test = pc::test;

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
    return s;
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}

TEST(SecretsKeys, KeysNeverAppearInAnyOutput) {
    test::TempDir dir;
    auto home = dir / "pcd-home";
    auto pcctl = (test::bin_dir() / "pcctl").string();
    std::string everything;  // all output that must be free of keys
    auto keep = [&](const test::ProcessResult& r, bool stdout_may_hold_key = false) {
        everything += r.err;
        if (!stdout_may_hold_key) everything += r.out;
    };

    // Keys made by pcctl: printed once on stdout (that is the point), stored 0600.
    auto gen = test::run({pcctl, "--home", home.string(), "apikey", "generate"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    keep(gen, true);
    std::string agent_key = trim(gen.out);
    ASSERT_GE(agent_key.size(), 16u) << gen.out;
    auto adm = test::run({pcctl, "--home", home.string(), "--admin", "apikey", "generate"});
    ASSERT_EQ(adm.exit_code, 0) << adm.err;
    keep(adm, true);
    std::string admin_key = trim(adm.out);
    EXPECT_EQ(mode_of(home / "apikeys"), 0600u);
    EXPECT_EQ(mode_of(home / "adminkeys"), 0600u);

    const std::string added_key = "added-key-Zq8s1mXv3pLr";
    auto add =
        test::run({pcctl, "--home", home.string(), "apikey", "add"}, {}, 30s, added_key + "\n");
    ASSERT_EQ(add.exit_code, 0) << add.err;
    keep(add);
    auto list = test::run({pcctl, "--home", home.string(), "apikey", "list"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    keep(list);

    // Bad lines that pcd must mention by line number only.
    const std::string short_key = "shrtKy7";
    const std::string spaced_key = "spaced key Pq9 material";
    {
        std::ofstream f(home / "apikeys", std::ios::app);
        f << short_key << "\n" << spaced_key << "\n";
    }
    ::chmod((home / "apikeys").c_str(), 0644);  // readable by others: pcd must warn

    int port = test::pick_free_port();
    std::map<std::string, std::string> pcd_env{
        {"PCD_LISTENADDRESS", "127.0.0.1:" + std::to_string(port)},
        {"PCD_HOME", home.string()},
        {"PCD_LOGLEVEL", "trace"}};
    test::Child pcd({(test::bin_dir() / "pcd").string()}, pcd_env);
    ASSERT_TRUE(wait_until(
        [&] {
            return status_of(raw_exchange(port, http_request("GET", "/health", {}, ""), 2s)) == 200;
        },
        15s, 100ms))
        << pcd.err_so_far();
    EXPECT_NE(pcd.err_so_far().find("readable by group or others"), std::string::npos)
        << "no warning about a world-readable key file:\n"
        << pcd.err_so_far();

    // pcc with the right key, then with a wrong one (401, retried, reported).
    const std::string wrong_key = "wrong-key-Hj3kL9wQ2zX";
    auto pcc_run = [&](const std::string& key, const std::string& id) {
        return test::run(
            {(test::bin_dir() / "pcc").string()},
            {{"PCC_MODE", "trickle"},
             {"PCC_SERVER_URL", "http://127.0.0.1:" + std::to_string(port)},
             {"PCC_APIKEY", key},
             {"PCC_IDENTIFIER", id},
             {"PCC_DURATION", "2s"},
             {"PCC_FREQUENCY", "1s"},
             {"PCC_DRAIN_TIMEOUT", "3s"},
             {"PCC_PROCROOT", (test::source_dir() / "testdata" / "procroot-vm2cpu").string()},
             {"PCC_COLLECTION", (dir / (id + ".json")).string()},
             {"PCC_SPOOL", (dir / (id + ".spool")).string()},
             {"PCC_LOGLEVEL", "trace"}},
            60s);
    };
    auto good = pcc_run(agent_key, "secret-good");
    EXPECT_EQ(good.exit_code, 0) << good.err;
    keep(good);
    auto bad = pcc_run(wrong_key, "secret-bad");
    keep(bad);
    EXPECT_NE(bad.err.find("401"), std::string::npos) << "pcc did not report the 401:\n" << bad.err;
    // Local mode with a key set: the banner shows the configuration, masked.
    auto local =
        test::run({(test::bin_dir() / "pcc").string()},
                  {{"PCC_MODE", "local"},
                   {"PCC_APIKEY", agent_key},
                   {"PCC_DURATION", "1s"},
                   {"PCC_FREQUENCY", "1s"},
                   {"PCC_IDENTIFIER", "secret-local"},
                   {"PCC_PROCROOT", (test::source_dir() / "testdata" / "procroot-vm2cpu").string()},
                   {"PCC_COLLECTION", (dir / "local.json").string()},
                   {"PCC_LOGLEVEL", "trace"}},
                  30s);
    keep(local);

    // Key passed on the command line as a flag, then a failing start: the error must not echo it.
    auto flag_err = test::run({(test::bin_dir() / "pcc").string(), "--mode", "trickle", "--apikey",
                               wrong_key + " with space", "--duration", "1s"},
                              {}, 30s);
    keep(flag_err);

    // pcctl against pcd with the admin key, a wrong admin key, and the machine key.
    const std::string wrong_admin = "wrong-admin-Ty6uI8oP1";
    std::string server = "http://127.0.0.1:" + std::to_string(port);
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--adminkey", admin_key, "machines"},
                                               {"--adminkey", admin_key, "fetch", "secret-good"},
                                               {"--adminkey", wrong_admin, "machines"},
                                               {"--adminkey", agent_key, "machines"},
                                               {"health"},
                                               {"ping"}}) {
        std::vector<std::string> argv{pcctl, "--server", server, "--loglevel", "trace"};
        argv.insert(argv.end(), args.begin(), args.end());
        keep(test::run(argv, {}, 30s));
    }

    // Reload on SIGHUP, then stop.
    pcd.signal(SIGHUP);
    std::this_thread::sleep_for(500ms);
    pcd.signal(SIGTERM);
    auto pcd_result = pcd.wait(20s);
    keep(pcd_result);
    EXPECT_EQ(pcd_result.exit_code, 0);
    EXPECT_NE(pcd_result.err.find("line"), std::string::npos)
        << "pcd did not warn about the bad key lines";

    for (const auto& [name, key] : std::vector<std::pair<std::string, std::string>>{
             {"agent key", agent_key},
             {"admin key", admin_key},
             {"added key", added_key},
             {"wrong key", wrong_key},
             {"wrong admin key", wrong_admin},
             {"short key", short_key},
             {"key with spaces", spaced_key},
             {"part of the key with spaces", "Pq9 material"}}) {
        auto at = everything.find(key);
        EXPECT_EQ(at, std::string::npos)
            << name << " appears in the output: ..."
            << everything.substr(at == std::string::npos ? 0 : (at > 200 ? at - 200 : 0), 300);
    }
    std::cout << "[secrets] searched " << everything.size() << " bytes of output for 8 keys\n";
}

}  // namespace
