// pcc's edges: signals, configuration errors, startup errors, secrets, --help.
#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>
#include <thread>

#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string pcc() {
    return (pc::test::bin_dir() / "pcc").string();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::size_t count_lines(const fs::path& p) {
    if (!fs::exists(p)) return 0;
    return lines_of(pc::test::read_file(p)).size();
}

}  // namespace

TEST(PccLifecycle, SigtermFinishesWithWholeTicksAndExitZero) {
    pc::test::TempDir dir;
    auto out = dir / "c.json";
    pc::test::Child child({pcc()}, {{"PCC_COLLECTION", out.string()},
                                    {"PCC_DURATION", "60s"},
                                    {"PCC_FREQUENCY", "1s"},
                                    {"PCC_MODE", "local"}});
    // Wait (bounded) for two ticks: cpuinfo + 2 x 5 records.
    for (int i = 0; i < 100 && count_lines(out) < 11; ++i) std::this_thread::sleep_for(100ms);
    ASSERT_GE(count_lines(out), 11u) << child.err_so_far();
    child.signal(SIGTERM);
    auto result = child.wait(10s);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("stopped by signal"), std::string::npos) << result.err;

    auto text = pc::test::read_file(out);
    ASSERT_EQ(text.back(), '\n');
    auto lines = lines_of(text);
    ASSERT_EQ((lines.size() - 1) % 5, 0u) << lines.size();  // whole ticks only
    ASSERT_LT(lines.size(), 1u + 60u * 5u);
    const char* order[] = {"/proc/stat", "/proc/meminfo", "/proc/net/dev", "/proc/diskstats",
                           "statfs[*]"};
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto d = pc::record::decode_record(lines[i]);
        ASSERT_TRUE(d.record) << d.error;
        EXPECT_EQ(d.record->subsystem, order[(i - 1) % 5]);
    }
}

TEST(PccLifecycle, BadValuesAreUsageErrorsWithOneLineNamingTheVariable) {
    pc::test::TempDir dir;
    std::vector<std::pair<std::string, std::string>> cases{{"PCC_DURATION", "ten"},
                                                           {"PCC_FREQUENCY", "0s"},
                                                           {"PCC_FREQUENCY", "1.5s"},
                                                           {"PCC_FREQUENCY", "500ms"},
                                                           {"PCC_MODE", "remote"},
                                                           {"PCC_LOGLEVEL", "loud"},
                                                           {"PCC_SERVER_URL", "localhost"},
                                                           {"PCC_SPOOL_MAX", "huge"},
                                                           {"PCC_PROCROOT", "/no/such/dir"},
                                                           {"PCC_SUBSYSTEMS", "/proc/nothing"},
                                                           {"PCC_COMPRESSION", "lz4"},
                                                           {"PCC_BATCH_MAX", "-3"},
                                                           {"PCC_DRAIN_TIMEOUT", "later"},
                                                           {"PCC_ROTATE", "weekly"},
                                                           {"PCC_KEEP", "some"},
                                                           {"PCC_DURATION", "-1h"}};
    for (const auto& [var, value] : cases) {
        auto r = pc::test::run({pcc()},
                               {{var, value}, {"PCC_COLLECTION", (dir / "c.json").string()}}, 10s);
        EXPECT_EQ(r.exit_code, 2) << var << "=" << value;
        auto lines = lines_of(r.err);
        ASSERT_EQ(lines.size(), 1u) << var << ": " << r.err;
        EXPECT_EQ(lines[0].rfind("pcc: " + var + ": ", 0), 0u) << lines[0];
        EXPECT_NE(lines[0].find("; use "), std::string::npos) << "the valid form: " << lines[0];
        // Never suggests a value that is then refused (it once offered 500ms for frequencies).
        std::string advice = lines[0];
        advice.erase(0, advice.find("\"" + value + "\"") + value.size() + 2);
        EXPECT_EQ(advice.find("500ms"), std::string::npos) << lines[0];
        EXPECT_FALSE(fs::exists(dir / "c.json")) << var;  // nothing started
    }
    // The flag form is validated the same way, wins over the environment, and is named.
    auto r = pc::test::run({pcc(), "--duration", "soon"}, {{"PCC_DURATION", "1s"}}, 10s);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("pcc: --duration: invalid duration \"soon\"", 0), 0u) << r.err;
    EXPECT_EQ(r.err.find("PCC_DURATION"), std::string::npos) << r.err;
    r = pc::test::run({pcc(), "--frequency=1.5s"}, {}, 10s);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--frequency: \"1.5s\" is not a whole number of seconds"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("e.g. --frequency 2s"), std::string::npos) << r.err;
    // Command-line mistakes: one line, the usage status.
    for (const auto& args :
         {std::vector<std::string>{pcc(), "--bogus"}, std::vector<std::string>{pcc(), "--mode"},
          std::vector<std::string>{pcc(), "--mode=local", "--mode", "local"}}) {
        auto u = pc::test::run(args, {}, 10s);
        EXPECT_EQ(u.exit_code, 2) << args[1];
        ASSERT_EQ(lines_of(u.err).size(), 1u) << u.err;
        EXPECT_EQ(u.err.rfind("pcc: ", 0), 0u) << u.err;
        EXPECT_NE(u.err.find(args[1].substr(0, args[1].find('='))), std::string::npos) << u.err;
    }
}

TEST(PccLifecycle, MissingParentDirectoryIsAStartupError) {
    pc::test::TempDir dir;
    auto r = pc::test::run({pcc()},
                           {{"PCC_COLLECTION", (dir / "missing" / "c.json").string()},
                            {"PCC_DURATION", "1s"},
                            {"PCC_FREQUENCY", "1s"},
                            {"PCC_MODE", "local"}},
                           10s);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("PCC_COLLECTION"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("collecting"), std::string::npos) << "sampling must not start";
}

TEST(PccLifecycle, ApiKeyNeverLogged) {
    pc::test::TempDir dir;
    const std::string key = "k3y-Sup3rS3cret-value-0123456789";
    auto r = pc::test::run({pcc()},
                           {{"PCC_COLLECTION", (dir / "c.json").string()},
                            {"PCC_DURATION", "1s"},
                            {"PCC_FREQUENCY", "1s"},
                            {"PCC_MODE", "local"},
                            {"PCC_APIKEY", key},
                            {"PCC_LOGLEVEL", "trace"}},
                           15s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("PCC_APIKEY"), std::string::npos) << "banner shows the key is set";
    EXPECT_EQ(r.err.find(key), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(key), std::string::npos);
    EXPECT_EQ(pc::test::read_file(dir / "c.json").find(key), std::string::npos);

    // Nor in an error about the key.
    auto bad = pc::test::run({pcc()}, {{"PCC_APIKEY", key + " tail"}}, 10s);
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("PCC_APIKEY"), std::string::npos) << bad.err;
    EXPECT_EQ(bad.err.find("Sup3rS3cret"), std::string::npos) << bad.err;
}

TEST(PccLifecycle, HelpListsEveryFlagWithItsVariableAndDefault) {
    auto r = pc::test::run({pcc(), "--help"}, {}, 10s);
    EXPECT_EQ(r.exit_code, 0);
    for (const char* entry : {"--mode TEXT=local (Env:PCC_MODE)",
                              "--collection TEXT=/tmp/pcc.json (Env:PCC_COLLECTION)",
                              "--duration TEXT=24h (Env:PCC_DURATION)",
                              "--frequency TEXT=10s (Env:PCC_FREQUENCY)",
                              "(Env:PCC_IDENTIFIER)",
                              "--loglevel TEXT=info (Env:PCC_LOGLEVEL)",
                              "(Env:PCC_APIKEY)",
                              "--server-url TEXT=http://localhost:8080 (Env:PCC_SERVER_URL)",
                              "(Env:PCC_SERVER)",
                              "(Env:PCC_CAFILE)",
                              "--compression TEXT=gzip (Env:PCC_COMPRESSION)",
                              "(Env:PCC_SPOOL)",
                              "--spool-max TEXT=256MiB (Env:PCC_SPOOL_MAX)",
                              "--batch-max TEXT=10 (Env:PCC_BATCH_MAX)",
                              "--drain-timeout TEXT=10s (Env:PCC_DRAIN_TIMEOUT)",
                              "--procroot TEXT=/proc (Env:PCC_PROCROOT)",
                              "(Env:PCC_SUBSYSTEMS)",
                              "--rotate TEXT=never (Env:PCC_ROTATE)",
                              "--keep TEXT=7 (Env:PCC_KEEP)",
                              "--version"}) {
        EXPECT_NE(r.out.find(entry), std::string::npos) << entry;
    }
    auto v = pc::test::run({pcc(), "--version"}, {}, 10s);
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.out.rfind("pcc ", 0), 0u) << v.out;
}

// A second signal exits at once, even while the first one's shutdown is still running. Trickle
// mode towards a closed loopback port makes that shutdown long: it drains for PCC_DRAIN_TIMEOUT.
TEST(PccLifecycle, SecondSignalExitsAtOnce) {
    pc::test::TempDir dir;
    pc::test::Child child(
        {pcc()},
        {{"PCC_MODE", "trickle"},
         {"PCC_APIKEY", "test-key-0123456789"},
         {"PCC_IDENTIFIER", "pcc-test"},
         {"PCC_SERVER_URL", "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port())},
         {"PCC_COLLECTION", (dir / "c.json").string()},
         {"PCC_DURATION", "60s"},
         {"PCC_FREQUENCY", "1s"},
         {"PCC_DRAIN_TIMEOUT", "60s"}});
    ASSERT_TRUE(child.wait_for_err("collecting", 10s)) << child.err_so_far();
    // Wait (bounded) for a tick to be spooled, so there is something left to drain.
    auto spooled = [&] {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir / "c.json.spool", ec)) {
            if (e.path().extension() == ".tick") return true;
        }
        return false;
    };
    for (int i = 0; i < 100 && !spooled(); ++i) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(spooled()) << child.err_so_far();
    child.signal(SIGTERM);
    ASSERT_TRUE(child.wait_for_err("SIGTERM received", 10s)) << child.err_so_far();
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(child.running()) << "the first signal's drain should still be running";
    child.signal(SIGTERM);
    auto result = child.wait(5s);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 128 + SIGTERM) << result.err;
}
