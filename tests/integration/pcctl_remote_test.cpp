// pcctl ping, version, health, machines and fetch against a real pcd on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pcctl_fixture.hpp"

namespace {

using pc::test::kAdminKey;
using pc::test::kMachineKey;
using pc::test::pcctl;

struct PcctlRemote : ::testing::Test {
    pc::test::PcdProcess pcd;
    pc::test::TempDir dir;

    std::map<std::string, std::string> env() const { return {{"PCC_SERVER_URL", pcd.url()}}; }
    std::map<std::string, std::string> admin_env() const {
        return {{"PCC_SERVER_URL", pcd.url()}, {"PCCTL_ADMINKEY", kAdminKey}};
    }
    // Stores `text` on pcd as machine `id` through pcctl replay.
    void store(const std::string& id, const std::string& text) {
        auto file = dir / (id + ".json");
        pc::test::write_file(file, text);
        auto r = pcctl({"replay", file.string(), "--identifier", id},
                       {{"PCC_SERVER_URL", pcd.url()}, {"PCC_APIKEY", kMachineKey}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
};

TEST_F(PcctlRemote, PingBeforeAndAfterTheSubcommand) {
    ASSERT_FALSE(pcd.url().empty()) << pcd.err();
    auto r = pcctl({"--server", pcd.url(), "ping"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pong from " + pcd.url() + ": rtt "), std::string::npos) << r.out;

    r = pcctl({"ping", "--count", "3", "--interval", "10ms", "--server", pcd.url(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["replies"].size(), 3u);
    for (const auto& reply : j["replies"]) {
        EXPECT_GE(reply["rtt_ms"].get<double>(), 0.0);
        // pcd echoes our timestamp and adds its own clock (same host: within a few seconds).
        EXPECT_LE(std::llabs(reply["timestamp"].get<std::int64_t>() -
                             reply["origintimestamp"].get<std::int64_t>()),
                  5);
    }
}

TEST_F(PcctlRemote, VersionShowsClientAndServer) {
    auto r = pcctl({"version"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("client: pcctl "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("server: pcd "), std::string::npos) << r.out;
    auto v = pcctl({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    r = pcctl({"version", "--json"}, env());
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["server"]["name"], "pcd");
    EXPECT_EQ(j["server"]["version"], j["client"]["version"]);  // one version for the suite
    EXPECT_NE(v.out.find(j["client"]["version"].get<std::string>()), std::string::npos);
}

TEST_F(PcctlRemote, HealthReportsCounters) {
    store("vm-health", pc::test::synthetic_collection(4));
    auto r = pcctl({"health"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("status             ok"), std::string::npos) << r.out;
    r = pcctl({"health", "--json"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["records_stored"], 12);
    EXPECT_EQ(j["machines"], 1);
}

TEST_F(PcctlRemote, UnreachableServerIsOneLineAndNonZero) {
    std::string dead = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    for (const char* cmd : {"ping", "version", "health", "machines"}) {
        auto r = pcctl({cmd, "--server", dead, "--timeout", "2s", "--adminkey", kAdminKey});
        EXPECT_EQ(r.exit_code, 1) << cmd;
        EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << cmd << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    auto r = pcctl({"ping", "--server", "ftp://nowhere"});
    EXPECT_EQ(r.exit_code, 2);  // a usage error, naming the flag that was given
    EXPECT_EQ(r.err.rfind("pcctl: --server \"ftp://nowhere\" is not a valid server URL", 0), 0u)
        << r.err;
    r = pcctl({"ping"}, {{"PCC_SERVER_URL", "ftp://nowhere"}});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("pcctl: PCC_SERVER_URL \"ftp://nowhere\"", 0), 0u) << r.err;
}

TEST_F(PcctlRemote, MachinesNeedsTheAdminKey) {
    auto r = pcctl({"machines"}, env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("PCCTL_ADMINKEY"), std::string::npos) << r.err;
    r = pcctl({"machines", "--adminkey", kMachineKey}, env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(kMachineKey), std::string::npos) << "key leaked: " << r.err;
    r = pcctl({"machines"}, admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("no machines"), std::string::npos) << r.out;
}

TEST_F(PcctlRemote, MachinesTableAndJson) {
    store("vm-a", pc::test::synthetic_collection(3, 1767800000));
    store("vm-b", pc::test::synthetic_collection(5, 1767900000));
    auto r = pcctl({"machines"}, admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("IDENTIFIER", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("vm-a"), std::string::npos);
    EXPECT_NE(r.out.find("2026-01-07T15:33:20Z"), std::string::npos) << r.out;  // 1767800000
    r = pcctl({"machines", "--json"}, admin_env());
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["machines"].size(), 2u);
    std::map<std::string, nlohmann::json> by_id;
    for (const auto& m : j["machines"]) by_id[m["identifier"]] = m;
    EXPECT_EQ(by_id["vm-a"]["records"], 9);
    EXPECT_EQ(by_id["vm-b"]["records"], 15);
    EXPECT_EQ(by_id["vm-b"]["first_timestamp"], 1767900000);
    EXPECT_EQ(by_id["vm-b"]["last_timestamp"], 1767900020);
}

TEST_F(PcctlRemote, FetchReturnsTheStoredCollectionWhichPcprocessReads) {
    auto collection =
        pc::test::read_file(pc::test::source_dir() / "testdata/collections/synthetic-2cpu.json");
    store("vm-fetch", collection);
    auto out = dir / "fetched.json";
    auto r = pcctl({"fetch", "vm-fetch", "-o", out.string()}, admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(pc::test::read_file(out), collection);
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));

    // To stdout as well.
    r = pcctl({"fetch", "vm-fetch"}, admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, collection);

    auto processed =
        pc::test::run({(pc::test::bin_dir() / "pcprocess").string()},
                      {{"PCR_COLLECTION", out.string()}, {"PCR_OUTDIR", (dir / "csv").string()}},
                      std::chrono::seconds(30));
    EXPECT_EQ(processed.exit_code, 0) << processed.err;
}

TEST_F(PcctlRemote, FetchSinceAndUntil) {
    auto collection = pc::test::synthetic_collection(10, 1767800000);
    store("vm-range", collection);
    // Ticks at 1767800010..1767800030 inclusive: 5 ticks of 3 records, selected by the test.
    std::string expected;
    std::size_t pos = 0;
    while (pos < collection.size()) {
        auto nl = collection.find('\n', pos);
        auto line = collection.substr(pos, nl - pos + 1);
        auto ts = std::stoll(line.substr(line.find(':') + 1));
        if (ts >= 1767800010 && ts <= 1767800030) expected += line;
        pos = nl + 1;
    }
    auto r =
        pcctl({"fetch", "vm-range", "--since", "1767800010", "--until", "2026-01-07T15:33:50Z"},
              admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected);
    EXPECT_NE(r.err.find("fetched 15 records"), std::string::npos) << r.err;

    r = pcctl({"fetch", "vm-range", "--since", "not-a-time"}, admin_env());
    EXPECT_EQ(r.exit_code, 2);  // a usage error
    EXPECT_NE(r.err.find("--since"), std::string::npos) << r.err;
}

TEST_F(PcctlRemote, FetchOfAnUnknownMachineWritesNothing) {
    auto out = dir / "none.json";
    auto r = pcctl({"fetch", "no-such-vm", "-o", out.string()}, admin_env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no-such-vm"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
    r = pcctl({"fetch", "../etc/passwd"}, admin_env());
    EXPECT_EQ(r.exit_code, 2);  // a usage error
    EXPECT_NE(r.err.find("invalid machine identifier"), std::string::npos) << r.err;
}

}  // namespace

namespace {

TEST(PcctlHttps, PrivateCaThroughCafile) {
    pc::test::TempDir work;
    auto cert = work / "cert.pem";
    auto key = work / "key.pem";
    if (!pc::test::make_self_signed_cert(cert, key)) {
        GTEST_SKIP() << "openssl CLI not available (scripts/setup installs it)";
    }
    pc::test::PcdProcess pcd({{cert, key}});
    ASSERT_EQ(pcd.url().rfind("https://", 0), 0u) << pcd.err();
    auto r = pcctl({"ping", "--server", pcd.url(), "--cafile", cert.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pong from https://127.0.0.1:"), std::string::npos) << r.out;
    r = pcctl({"machines", "--cafile", cert.string()},
              {{"PCC_SERVER_URL", pcd.url()}, {"PCCTL_ADMINKEY", kAdminKey}});
    EXPECT_EQ(r.exit_code, 0) << r.err;

    // Without the CA the certificate is not trusted.
    r = pcctl({"ping", "--server", pcd.url()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
    r = pcctl({"ping", "--server", pcd.url(), "--cafile", (work / "missing.pem").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("missing.pem"), std::string::npos) << r.err;
}

}  // namespace
