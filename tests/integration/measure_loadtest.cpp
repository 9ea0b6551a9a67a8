// Issue 15: pcctl cpumeasure, pcd's POST /v1/loadtest and pcctl loadtest, on the real binaries
// with levels of a fraction of a second.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "pcctl_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::kAdminKey;
using pc::test::kMachineKey;
using pc::test::pcctl;
using pc::test::PcdProcess;

// Polls pcd's log until `needle` has appeared `count` times.
bool wait_for_log(const PcdProcess& pcd, const std::string& needle,
                  std::chrono::milliseconds timeout, std::size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string log = pcd.err();
        std::size_t found = 0;
        for (auto pos = log.find(needle); pos != std::string::npos;
             pos = log.find(needle, pos + 1)) {
            ++found;
        }
        if (found >= count) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

void expect_full_result(const nlohmann::json& j) {
    ASSERT_TRUE(j.is_object()) << j.dump();
    EXPECT_TRUE(j["hostname"].is_string() && !j["hostname"].get<std::string>().empty());
    EXPECT_TRUE(j["timestamp"].is_number_integer());
    EXPECT_GE(j["numCores"].get<int>(), 1);
    ASSERT_EQ(j["results"].size(), 10u) << j.dump();
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(j["results"][i]["busyPct"].get<int>(), static_cast<int>(i + 1) * 10);
        EXPECT_TRUE(j["results"][i]["workUnits"].is_number_unsigned());
    }
    // The duty cycle works: full load does more than 10 % (10x on an idle machine; on a busy
    // one the short 10 % windows get more than their share of the CPU, so only "more").
    EXPECT_GT(j["results"][9]["workUnits"].get<std::uint64_t>(),
              j["results"][0]["workUnits"].get<std::uint64_t>())
        << j.dump();
    EXPECT_GT(j["maxUnits"].get<std::uint64_t>(), 0u);
    EXPECT_GT(j["avgUnits"].get<std::uint64_t>(), 0u);
    EXPECT_GT(j["unitsPerSec"].get<double>(), 0);
    EXPECT_FALSE(j.contains("error"));
}

TEST(PcctlCpumeasure, TenIncreasingLevelsAsJson) {
    auto r = pcctl({"cpumeasure", "--seconds-per-level", "0.2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    expect_full_result(j);
    EXPECT_EQ(r.err, "");  // stderr is not a terminal and -v was not given
}

TEST(PcctlCpumeasure, CsvAndJsonlToAFileWithProgress) {
    pc::test::TempDir dir;
    auto csv = pcctl({"cpumeasure", "-v", "--levels", "50,100", "--seconds-per-level", "0.1",
                      "--format", "csv", "-o", (dir / "r.csv").string()});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out, "");
    EXPECT_NE(csv.err.find("[1/2] 50% busy: "), std::string::npos) << csv.err;
    EXPECT_NE(csv.err.find("[2/2] 100% busy: "), std::string::npos) << csv.err;
    const auto text = pc::test::read_file(dir / "r.csv");
    EXPECT_TRUE(std::regex_match(text, std::regex("hostname,timestamp,numCores,busyPct,workUnits\n"
                                                  "[^,]+,[0-9]+,[0-9]+,50,[0-9]+\n"
                                                  "[^,]+,[0-9]+,[0-9]+,100,[0-9]+\n")))
        << text;

    auto jsonl = pcctl(
        {"cpumeasure", "--levels", "20,40,60", "--seconds-per-level", "0.1", "--format", "jsonl"});
    ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
    std::vector<int> levels;
    std::istringstream lines(jsonl.out);
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line);
        levels.push_back(j["busyPct"].get<int>());
        EXPECT_TRUE(j["workUnits"].is_number_unsigned());
        EXPECT_TRUE(j["numCores"].is_number_integer());
    }
    EXPECT_EQ(levels, (std::vector<int>{20, 40, 60}));
}

TEST(PcctlCpumeasure, BadArgumentsAreOneLineErrors) {
    for (std::vector<std::string> args :
         {std::vector<std::string>{"cpumeasure", "--format", "xml"},
          std::vector<std::string>{"cpumeasure", "--levels", "50,20"},
          std::vector<std::string>{"cpumeasure", "--seconds-per-level", "0"}}) {
        auto r = pcctl(args);
        EXPECT_EQ(r.exit_code, 1) << args[1];
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(args[1]), std::string::npos) << r.err;
    }
}

class LoadTestRoute : public ::testing::Test {
protected:
    static httplib::Result post(const PcdProcess& pcd, const httplib::Headers& headers,
                                const std::string& body = "{}") {
        httplib::Client cli(pcd.url());
        cli.set_read_timeout(60, 0);
        return cli.Post("/v1/loadtest", headers, body, "application/json");
    }
};

TEST_F(LoadTestRoute, MachineKeyGetsTheResultNoKeyOrAnUnknownKeyGets401) {
    PcdProcess pcd(PcdProcess::WithEnv{}, {{"PCD_LOADTEST_SECONDS_PER_LEVEL", "0.2"}});
    auto none = post(pcd, {});
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401);
    EXPECT_NE(none->body.find("\"error\""), std::string::npos);
    auto unknown = post(pcd, {{"apikey", "not-a-known-key-123"}});
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 401);

    auto r = post(pcd, {{"apikey", kMachineKey}}, "");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    expect_full_result(nlohmann::json::parse(r->body, nullptr, false));

    auto bad = post(pcd, {{"apikey", kMachineKey}}, "[1]");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
}

TEST_F(LoadTestRoute, PcctlLoadtestWithTheAdminKeyPrintsATableOrWritesJson) {
    PcdProcess pcd(PcdProcess::WithEnv{}, {{"PCD_LOADTEST_SECONDS_PER_LEVEL", "0.2"}});
    auto table = pcctl({"loadtest", "--server", pcd.url(), "--adminkey", kAdminKey});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("BUSY  WORK UNITS"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("\n100%  "), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("units/s at full load"), std::string::npos) << table.out;

    pc::test::TempDir dir;
    auto file = pcctl({"loadtest", "-o", (dir / "lt.json").string()},
                      {{"PCC_SERVER_URL", pcd.url()}, {"PCC_APIKEY", kMachineKey}});
    ASSERT_EQ(file.exit_code, 0) << file.err;
    expect_full_result(nlohmann::json::parse(pc::test::read_file(dir / "lt.json"), nullptr, false));

    auto nokey = pcctl({"loadtest", "--server", pcd.url()});
    EXPECT_EQ(nokey.exit_code, 1);
    EXPECT_NE(nokey.err.find("--apikey"), std::string::npos) << nokey.err;
}

TEST_F(LoadTestRoute, ASecondRunWhileOneIsRunningGets409WithTheTimeLeft) {
    PcdProcess pcd(PcdProcess::WithEnv{}, {{"PCD_LOADTEST_SECONDS_PER_LEVEL", "0.5"}});
    auto first = std::async(std::launch::async, [&] {
        return post(pcd, {{"apikey", kMachineKey}});
    });
    ASSERT_TRUE(wait_for_log(pcd, "): starting", 10s)) << pcd.err();
    auto second = post(pcd, {{"Authorization", std::string("Bearer ") + kAdminKey}});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 409) << second->body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(second->body, m, std::regex("about ([0-9]+) s left")))
        << second->body;
    EXPECT_GE(std::stoi(m[1].str()), 1);
    EXPECT_LE(std::stoi(m[1].str()), 5);
    EXPECT_EQ(second->get_header_value("Retry-After"), m[1].str());
    auto done = first.get();
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, 200);
    // Over: the next one runs.
    pcd.stop();
}

TEST_F(LoadTestRoute, OffAnswers404) {
    PcdProcess pcd(PcdProcess::WithEnv{}, {{"PCD_LOADTEST", "off"}});
    auto r = post(pcd, {{"apikey", kMachineKey}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find("no route"), std::string::npos) << r->body;
    EXPECT_NE(pcd.err().find("loadtest=off"), std::string::npos);
}

TEST_F(LoadTestRoute, AClientThatHangsUpStopsTheRun) {
    // Ten levels of 3 s: 30 s if nothing stopped it.
    PcdProcess pcd(PcdProcess::WithEnv{}, {{"PCD_LOADTEST_SECONDS_PER_LEVEL", "3"}});
    std::smatch m;
    const std::string url = pcd.url();
    ASSERT_TRUE(std::regex_search(url, m, std::regex(":([0-9]+)$")));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(m[1].str())));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string request = std::string("POST /v1/loadtest HTTP/1.1\r\nHost: 127.0.0.1\r\n") +
                                "apikey: " + kMachineKey + "\r\nContent-Length: 2\r\n\r\n{}";
    ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    ASSERT_TRUE(wait_for_log(pcd, "): starting", 10s)) << pcd.err();
    const auto hung_up = std::chrono::steady_clock::now();
    ::close(fd);
    ASSERT_TRUE(wait_for_log(pcd, "the client hung up", 10s)) << pcd.err();
    EXPECT_LT(std::chrono::steady_clock::now() - hung_up, 2s);
    // The run is over: another one starts at once (and is stopped by pcd's shutdown).
    auto again = std::async(std::launch::async, [&] {
        return post(pcd, {{"apikey", kMachineKey}});
    });
    ASSERT_TRUE(wait_for_log(pcd, "): starting", 10s, 2)) << pcd.err();
    pcd.stop();
    auto stopped = again.get();
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->status, 503) << stopped->body;
    EXPECT_NE(stopped->body.find("pcd is stopping"), std::string::npos) << stopped->body;
}

// Trickle requests keep being served while the load test loads every core: the workers run at
// nice 19. Prints the latencies seen (docs/pcd.md quotes a run).
TEST_F(LoadTestRoute, TrickleIsServedDuringARun) {
    PcdProcess pcd(PcdProcess::WithEnv{},
                   {{"PCD_LOADTEST_SECONDS_PER_LEVEL", "0.4"}, {"PCD_RATELIMIT", "0"}});
    auto run = std::async(std::launch::async, [&] { return post(pcd, {{"apikey", kMachineKey}}); });
    ASSERT_TRUE(wait_for_log(pcd, "): starting", 10s)) << pcd.err();
    httplib::Client cli(pcd.url());
    cli.set_keep_alive(true);
    cli.set_tcp_nodelay(true);  // else delayed ACKs add 40 ms to every request
    std::vector<double> ms;
    int failures = 0;
    std::int64_t ts = 1767800000;
    while (run.wait_for(0s) != std::future_status::ready) {
        const std::string body =
            "{\"identifier\":\"load-01\",\"measurements\":[{\"timestamp\":" + std::to_string(ts++) +
            ",\"subsystem\":\"/proc/loadavg\",\"measurement\":\"0.50 0.40 0.30 1/100 42\\n\"}]}";
        const auto start = std::chrono::steady_clock::now();
        auto r = cli.Post("/v1/trickle", {{"apikey", kMachineKey}}, body, "application/json");
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (!r || r->status != 200) ++failures;
    }
    auto done = run.get();
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, 200);
    EXPECT_EQ(failures, 0);
    ASSERT_GE(ms.size(), 20u);
    std::sort(ms.begin(), ms.end());
    const double p50 = ms[ms.size() / 2];
    const double p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    std::printf("trickle during a load test: %zu requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                ms.size(), p50, p99, ms.back());
    // Generous for a shared machine; a starved ingest path would take whole levels (400 ms).
    EXPECT_LT(p99, 250.0);
}

}  // namespace
