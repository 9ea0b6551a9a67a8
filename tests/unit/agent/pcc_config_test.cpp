#include "pc/agent/pcc_config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <optional>
#include <stdexcept>

#include "pc/core/error.hpp"
#include "test_support.hpp"

using pc::agent::PccConfig;
using pc::agent::PccMode;
using pc::agent::PccOptions;
using namespace std::chrono_literals;

namespace {

const char* kVariables[] = {
    "PCC_MODE",        "PCC_COLLECTION", "PCC_DURATION",   "PCC_FREQUENCY", "PCC_IDENTIFIER",
    "PCC_LOGLEVEL",    "PCC_APIKEY",     "PCC_SERVER_URL", "PCC_SERVER",    "PCC_CAFILE",
    "PCC_COMPRESSION", "PCC_SPOOL",      "PCC_SPOOL_MAX",  "PCC_BATCH_MAX", "PCC_DRAIN_TIMEOUT",
    "PCC_PROCROOT",    "PCC_SUBSYSTEMS", "PCC_ROTATE",     "PCC_KEEP"};

// Every test starts from an environment without PCC_* and restores it afterwards.
class PccConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* v : kVariables) {
            if (const char* old = ::getenv(v)) saved_[v] = old;
            ::unsetenv(v);
        }
        pc::test::write_file(dir_ / "machine-id", "0123456789abcdef0123456789abcdef\n");
    }
    void TearDown() override {
        for (const char* v : kVariables) ::unsetenv(v);
        for (const auto& [k, v] : saved_) ::setenv(k.c_str(), v.c_str(), 1);
    }

    PccConfig parse(std::vector<std::string> args,
                    const std::map<std::string, std::string>& env = {}) {
        for (const char* v : kVariables) ::unsetenv(v);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        pc::core::FlagParser flags("pcc");
        PccOptions options(flags, dir_ / "machine-id");
        args.insert(args.begin(), "pcc");
        std::vector<const char*> argv;
        for (auto& a : args) argv.push_back(a.c_str());
        const auto outcome = flags.parse(static_cast<int>(argv.size()), argv.data());
        if (!outcome.run) throw std::runtime_error("command line refused: " + outcome.err);
        return options.resolve();
    }

    // The UserError message of a configuration expected to be rejected.
    std::string error_of(std::vector<std::string> args,
                         const std::map<std::string, std::string>& env = {}) {
        try {
            parse(std::move(args), env);
        } catch (const pc::core::UserError& e) {
            return e.what();
        }
        return "(accepted)";
    }

    pc::test::TempDir dir_;
    std::map<std::string, std::string> saved_;
};

}  // namespace

TEST_F(PccConfigTest, Defaults) {
    auto c = parse({});
    EXPECT_EQ(c.mode, PccMode::local);
    EXPECT_EQ(c.collection, "/tmp/pcc.json");
    EXPECT_EQ(c.duration, pc::core::Duration(24h));
    EXPECT_EQ(c.frequency, pc::core::Duration(10s));
    EXPECT_EQ(c.identifier, "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(c.log_level, spdlog::level::info);
    EXPECT_EQ(c.server_url, "http://localhost:8080");
    EXPECT_TRUE(c.gzip);
    EXPECT_EQ(c.spool_dir, "/tmp/pcc.json.spool");
    EXPECT_EQ(c.spool_max_bytes, 256ull << 20);
    EXPECT_EQ(c.batch_max, 10u);
    EXPECT_EQ(c.drain_timeout, pc::core::Duration(10s));
    EXPECT_EQ(c.procroot, "/proc");
    EXPECT_EQ(c.subsystems,
              (std::vector<std::string>{"/proc/cpuinfo", "/proc/stat", "/proc/meminfo",
                                        "/proc/net/dev", "/proc/diskstats", "statfs[*]"}));
}

TEST_F(PccConfigTest, EnvironmentIsRead) {
    auto c = parse({}, {{"PCC_COLLECTION", "/var/tmp/x.json"},
                        {"PCC_DURATION", "1h30m"},
                        {"PCC_FREQUENCY", "5s"},
                        {"PCC_IDENTIFIER", "web-01"},
                        {"PCC_LOGLEVEL", "pcc=DEBUG;hoarder=INFO"},
                        {"PCC_SPOOL_MAX", "64M"},
                        {"PCC_BATCH_MAX", "50"},
                        {"PCC_DRAIN_TIMEOUT", "500ms"},
                        {"PCC_COMPRESSION", "none"},
                        {"PCC_SUBSYSTEMS", "default,/proc/vmstat"}});
    EXPECT_EQ(c.collection, "/var/tmp/x.json");
    EXPECT_EQ(c.duration, pc::core::Duration(90min));
    EXPECT_EQ(c.duration_text, "1h30m");
    EXPECT_EQ(c.frequency, pc::core::Duration(5s));
    EXPECT_EQ(c.identifier, "web-01");
    EXPECT_EQ(c.log_level, spdlog::level::debug);
    EXPECT_EQ(c.spool_dir, "/var/tmp/x.json.spool");
    EXPECT_EQ(c.spool_max_bytes, 64ull << 20);
    EXPECT_EQ(c.batch_max, 50u);
    EXPECT_EQ(c.drain_timeout, pc::core::Duration(500ms));
    EXPECT_FALSE(c.gzip);
    EXPECT_EQ(c.subsystems.back(), "/proc/vmstat");
}

TEST_F(PccConfigTest, FlagWinsOverEnvironment) {
    auto c = parse({"--frequency", "2s", "--collection=/tmp/flag.json", "--spool", "/tmp/sp"},
                   {{"PCC_FREQUENCY", "30s"}, {"PCC_COLLECTION", "/tmp/env.json"}});
    EXPECT_EQ(c.frequency, pc::core::Duration(2s));
    EXPECT_EQ(c.collection, "/tmp/flag.json");
    EXPECT_EQ(c.spool_dir, "/tmp/sp");
}

TEST_F(PccConfigTest, ServerHostPortAlternative) {
    EXPECT_EQ(parse({}, {{"PCC_SERVER", "pcd.example:9000"}}).server_url,
              "http://pcd.example:9000");
    EXPECT_EQ(parse({}, {{"PCC_SERVER", "[::1]:8080"}}).server_url, "http://[::1]:8080");
    // PCC_SERVER_URL, when given, wins.
    EXPECT_EQ(parse({}, {{"PCC_SERVER", "a:1"}, {"PCC_SERVER_URL", "https://b:2/"}}).server_url,
              "https://b:2");
    EXPECT_EQ(parse({"--server", "c:3"}).server_url, "http://c:3");
}

TEST_F(PccConfigTest, SeveralServersCommaSeparated) {
    EXPECT_EQ(parse({}, {{"PCC_SERVER_URL", "http://a:1/, https://b:2"}}).server_url,
              "http://a:1,https://b:2");
    EXPECT_EQ(parse({}, {{"PCC_SERVER", "a:1,b:2"}}).server_url, "http://a:1,http://b:2");
    EXPECT_EQ(parse({"--server-url", "http://c:3,http://d:4"}).server_url, "http://c:3,http://d:4");
    // The bad element is named, an empty one too.
    auto msg = error_of({}, {{"PCC_SERVER_URL", "http://a:1,ftp://x"}});
    EXPECT_EQ(msg.rfind("PCC_SERVER_URL:", 0), 0u) << msg;
    EXPECT_NE(msg.find("\"ftp://x\""), std::string::npos) << msg;
    msg = error_of({}, {{"PCC_SERVER_URL", "http://a:1,"}});
    EXPECT_NE(msg.find("\"\""), std::string::npos) << msg;
}

TEST_F(PccConfigTest, IdentifierDefaultsToEmptyWithoutMachineIdInLocalMode) {
    std::filesystem::remove(dir_ / "machine-id");
    EXPECT_EQ(parse({}).identifier, "");
    auto msg = error_of({}, {{"PCC_MODE", "trickle"}, {"PCC_APIKEY", "k1234567890"}});
    EXPECT_EQ(msg.rfind("PCC_IDENTIFIER:", 0), 0u) << msg;
}

TEST_F(PccConfigTest, TrickleModeNeedsAnApiKey) {
    auto msg = error_of({"--mode", "trickle"});
    EXPECT_EQ(msg.rfind("PCC_APIKEY:", 0), 0u) << msg;
    auto c = parse({"--mode", "trickle"}, {{"PCC_APIKEY", "secret-key-123"}});
    EXPECT_EQ(c.mode, PccMode::trickle);
}

TEST_F(PccConfigTest, BadValuesNameTheVariableInOneLine) {
    struct Case {
        std::map<std::string, std::string> env;
        std::string variable;
    };
    std::vector<Case> cases{
        {{{"PCC_MODE", "remote"}}, "PCC_MODE"},
        {{{"PCC_DURATION", "ten"}}, "PCC_DURATION"},
        {{{"PCC_DURATION", "-1h"}}, "PCC_DURATION"},
        {{{"PCC_FREQUENCY", "10"}}, "PCC_FREQUENCY"},
        {{{"PCC_FREQUENCY", "500ms"}}, "PCC_FREQUENCY"},
        {{{"PCC_DURATION", "5s"}, {"PCC_FREQUENCY", "10s"}}, "PCC_DURATION"},
        {{{"PCC_LOGLEVEL", "loud"}}, "PCC_LOGLEVEL"},
        {{{"PCC_IDENTIFIER", "../etc"}}, "PCC_IDENTIFIER"},
        {{{"PCC_SERVER_URL", "ftp://x"}}, "PCC_SERVER_URL"},
        {{{"PCC_SERVER_URL", "http://"}}, "PCC_SERVER_URL"},
        {{{"PCC_SERVER_URL", "http://h:99999"}}, "PCC_SERVER_URL"},
        {{{"PCC_SERVER", "nohostport"}}, "PCC_SERVER"},
        {{{"PCC_COMPRESSION", "zstd"}}, "PCC_COMPRESSION"},
        {{{"PCC_SPOOL_MAX", "big"}}, "PCC_SPOOL_MAX"},
        {{{"PCC_SPOOL_MAX", "1K"}}, "PCC_SPOOL_MAX"},
        {{{"PCC_BATCH_MAX", "0"}}, "PCC_BATCH_MAX"},
        {{{"PCC_BATCH_MAX", "x"}}, "PCC_BATCH_MAX"},
        {{{"PCC_DRAIN_TIMEOUT", "soon"}}, "PCC_DRAIN_TIMEOUT"},
        {{{"PCC_PROCROOT", "/no/such/dir"}}, "PCC_PROCROOT"},
        {{{"PCC_SUBSYSTEMS", "/proc/bogus"}}, "PCC_SUBSYSTEMS"},
        {{{"PCC_APIKEY", "has space"}}, "PCC_APIKEY"},
        {{{"PCC_MODE", "trickle"}, {"PCC_APIKEY", "k1234567890"}, {"PCC_CAFILE", "/no/ca.pem"}},
         "PCC_CAFILE"},
        {{{"PCC_FREQUENCY", "1.5s"}}, "PCC_FREQUENCY"},
        {{{"PCC_ROTATE", "weekly"}}, "PCC_ROTATE"},
        {{{"PCC_ROTATE", "1K"}}, "PCC_ROTATE"},
        {{{"PCC_KEEP", "-1"}}, "PCC_KEEP"},
    };
    for (const auto& c : cases) {
        auto msg = error_of({}, c.env);
        EXPECT_EQ(msg.rfind(c.variable + ":", 0), 0u) << c.variable << " -> " << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        bool example =
            msg.find("e.g.") != std::string::npos || msg.find("such as") != std::string::npos;
        EXPECT_TRUE(example) << msg;
    }
}

TEST_F(PccConfigTest, ApiKeyNeverInErrorsOrBanner) {
    auto msg = error_of({}, {{"PCC_APIKEY", "topsecret\tkey"}});
    EXPECT_EQ(msg.find("topsecret"), std::string::npos) << msg;
    auto c = parse({}, {{"PCC_APIKEY", "topsecretkey"}});
    for (const auto& [k, v] : pc::agent::printable_config(c)) {
        EXPECT_EQ(v.find("topsecret"), std::string::npos) << k;
    }
}

TEST_F(PccConfigTest, BannerListsEveryVariableSorted) {
    auto lines = pc::agent::printable_config(parse({}));
    std::vector<std::string> keys;
    for (const auto& [k, v] : lines) keys.push_back(k);
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    for (const char* v : kVariables) {
        if (std::string(v) == "PCC_SERVER") continue;  // folded into PCC_SERVER_URL
        EXPECT_NE(std::find(keys.begin(), keys.end(), v), keys.end()) << v;
    }
}

TEST_F(PccConfigTest, FillsTrickleOptions) {
    auto c = parse({"--mode=trickle", "--batch-max=7", "--drain-timeout=3s"},
                   {{"PCC_APIKEY", "secret-key-123"},
                    {"PCC_SERVER_URL", "https://pcd:8443"},
                    {"PCC_CAFILE", (dir_ / "machine-id").string()},
                    {"PCC_SPOOL_MAX", "1MiB"},
                    {"PCC_COMPRESSION", "none"}});
    auto o = pc::agent::make_trickle_options(c);
    EXPECT_EQ(o.server_url, "https://pcd:8443");
    EXPECT_EQ(o.api_key, "secret-key-123");
    EXPECT_EQ(o.identifier, "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(o.ca_file, (dir_ / "machine-id").string());
    EXPECT_FALSE(o.gzip);
    EXPECT_EQ(o.spool_dir, "/tmp/pcc.json.spool");
    EXPECT_EQ(o.spool_max_bytes, 1u << 20);
    EXPECT_EQ(o.batch_max, 7u);
    EXPECT_EQ(o.drain_timeout, 3000ms);
}

TEST_F(PccConfigTest, BadValuesAreUsageErrorsNamingTheFlagWhenAFlagWasGiven) {
    try {
        parse({"--frequency", "1.5s"}, {{"PCC_FREQUENCY", "1.5s"}});
        FAIL() << "accepted";
    } catch (const pc::core::UsageError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("--frequency: \"1.5s\" is not a whole number of seconds", 0), 0u)
            << msg;
        EXPECT_NE(msg.find("e.g. --frequency 2s"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("PCC_FREQUENCY"), std::string::npos) << msg;
    }
    EXPECT_EQ(error_of({"--duration=ten"}).rfind("--duration: invalid duration", 0), 0u);
    EXPECT_EQ(error_of({"--mode", "x"}),
              "--mode: invalid mode \"x\"; use local or trickle, e.g. "
              "--mode local");
    EXPECT_EQ(error_of({}, {{"PCC_MODE", "x"}}),
              "PCC_MODE: invalid mode \"x\"; use local or trickle, e.g. PCC_MODE=local");
    // Never suggests what it then refuses: 500ms is below the 1s minimum.
    EXPECT_EQ(error_of({}, {{"PCC_DURATION", "ten"}}).find("500ms"), std::string::npos);
}

TEST_F(PccConfigTest, DurationZeroOrForeverRunsUntilStopped) {
    for (const char* value : {"0", "0s", "forever", "Forever"}) {
        auto c = parse({}, {{"PCC_DURATION", value}});
        EXPECT_TRUE(c.forever) << value;
        EXPECT_EQ(c.duration, pc::core::Duration::max()) << value;
    }
    EXPECT_FALSE(parse({}, {{"PCC_DURATION", "1h"}}).forever);
}

TEST_F(PccConfigTest, RotationAndKeep) {
    auto c = parse({});
    EXPECT_EQ(c.rotate, pc::collect::RotateEvery::never);
    EXPECT_EQ(c.keep, 7u);
    EXPECT_EQ(parse({}, {{"PCC_ROTATE", "daily"}}).rotate, pc::collect::RotateEvery::day);
    EXPECT_EQ(parse({"--rotate", "Hourly"}).rotate, pc::collect::RotateEvery::hour);
    c = parse({"--rotate=64MiB", "--keep=0"});
    EXPECT_EQ(c.rotate, pc::collect::RotateEvery::size);
    EXPECT_EQ(c.rotate_bytes, 64u << 20);
    EXPECT_EQ(c.keep, 0u);
}
