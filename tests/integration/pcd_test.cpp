// The real pcd binary on 127.0.0.1 with an ephemeral port and a temporary PCD_HOME.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <zlib.h>

#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "fault_support.hpp"
#include "pc/api/error_body.hpp"
#include "pc/api/machines.hpp"
#include "pc/api/trickle.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;

namespace {

constexpr const char* kKey = "integration-key-0001";
constexpr const char* kAdmin = "integration-admin-01";
using pc::test::gzip;

std::string batch(const std::string& id, std::int64_t ts,
                  std::optional<std::string> batch_id = {}) {
    return pc::api::encode_trickle_request(
        {id,
         {{ts, "/proc/stat", "cpu  1 2 3\n"}, {ts, "/proc/loadavg", "0.00 0.01 0.05 1/1 9\n"}},
         std::move(batch_id)});
}

long count_lines(const std::string& s) {
    return static_cast<long>(std::count(s.begin(), s.end(), '\n'));
}

class Pcd {
public:
    explicit Pcd(const std::filesystem::path& home, std::map<std::string, std::string> env = {}) {
        env.emplace("PCD_HOME", home.string());
        env.emplace("PCD_LISTENADDRESS", "127.0.0.1:0");
        // These tests post small timestamps (1, 42, 105): no lower bound. pcd_limits.cpp tests
        // the default window.
        env.emplace("PCD_MIN_TIMESTAMP", "none");
        child_ = std::make_unique<pc::test::Child>(
            std::vector<std::string>{(pc::test::bin_dir() / "pcd").string()}, env);
        if (!child_->wait_for_err("listening on 127.0.0.1:", 20s)) {
            ADD_FAILURE() << "pcd did not start:\n" << child_->err_so_far();
            return;
        }
        std::smatch m;
        std::string err = child_->err_so_far();
        if (std::regex_search(err, m, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)"))) {
            port_ = std::stoi(m[1]);
        }
    }
    int port() const { return port_; }
    pc::test::Child& child() { return *child_; }
    httplib::Client client() const {
        httplib::Client cli("127.0.0.1", port_);
        cli.set_read_timeout(10, 0);
        return cli;
    }
    httplib::Result post(const std::string& body, httplib::Headers headers = {{"apikey", kKey}}) {
        return client().Post("/v1/trickle", headers, body, "application/json");
    }

private:
    std::unique_ptr<pc::test::Child> child_;
    int port_ = 0;
};

class PcdTest : public ::testing::Test {
protected:
    void SetUp() override {
        pc::test::write_file(home_ / "apikeys", std::string(kKey) + "\n");
        std::filesystem::permissions(home_ / "apikeys", std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write);
    }
    std::string stored(const std::string& id) {
        auto p = home_ / "data" / (id + ".json");
        return std::filesystem::exists(p) ? pc::test::read_file(p) : std::string();
    }
    pc::test::TempDir dir_;
    std::filesystem::path home_ = dir_.path();
};

}  // namespace

TEST_F(PcdTest, ServesPingVersionHealthAndMetrics) {
    Pcd pcd(home_);
    auto cli = pcd.client();
    auto r = cli.Get("/v1/ping");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    r = cli.Post("/v1/ping", "{\"timestamp\":42}", "application/json");
    ASSERT_TRUE(r);
    EXPECT_NE(r->body.find("\"origintimestamp\":42"), std::string::npos);
    EXPECT_NE(cli.Get("/v1/version")->body.find("\"version\""), std::string::npos);
    EXPECT_NE(cli.Get("/health")->body.find("\"status\":\"ok\""), std::string::npos);
    EXPECT_NE(
        cli.Get("/metrics")->body.find("pcd_requests_total{route=\"/v1/ping\",status=\"200\"}"),
        std::string::npos);
}

TEST_F(PcdTest, StoresTrickleFromEveryKeyHeaderAndGzip) {
    Pcd pcd(home_);
    EXPECT_EQ(pcd.post(batch("m", 1), {{"apikey", kKey}})->status, 200);
    EXPECT_EQ(pcd.post(batch("m", 2), {{"Authorization", std::string("Bearer ") + kKey}})->status,
              200);
    EXPECT_EQ(pcd.post(batch("m", 3), {{"X-API-Key", kKey}})->status, 200);
    auto r = pcd.post(gzip(batch("m", 4)), {{"apikey", kKey}, {"Content-Encoding", "gzip"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{}");
    // Content codings are case-insensitive (issue 19, item 12: "GZIP" was refused with 400).
    for (auto [t, coding] : {std::pair{5, "GZIP"}, std::pair{6, "Gzip"}}) {
        auto upper =
            pcd.post(gzip(batch("m", t)), {{"apikey", kKey}, {"Content-Encoding", coding}});
        ASSERT_TRUE(upper);
        EXPECT_EQ(upper->status, 200) << coding << ": " << upper->body;
    }
    std::string expected;
    for (int t = 1; t <= 6; ++t) {
        expected +=
            "{\"timestamp\":" + std::to_string(t) +
            ",\"subsystem\":\"/proc/stat\",\"measurement\":\"cpu  1 2 3\\n\"}\n"
            "{\"timestamp\":" +
            std::to_string(t) +
            ",\"subsystem\":\"/proc/loadavg\",\"measurement\":\"0.00 0.01 0.05 1/1 9\\n\"}\n";
    }
    EXPECT_EQ(stored("m"), expected);
}

TEST_F(PcdTest, HostileInputsGet4xxAndPcdKeepsServing) {
    Pcd pcd(home_, {{"PCD_MAXBODY", "64KiB"}});
    // httplib's client writes without MSG_NOSIGNAL: a connection pcd closes while the client is
    // still sending must fail this request (EPIPE, checked below), not kill the test process.
    // Set after pcd started, so pcd does not inherit it; restored for the tests after this one.
    struct IgnoreSigpipe {
        IgnoreSigpipe() { ::signal(SIGPIPE, SIG_IGN); }
        ~IgnoreSigpipe() { ::signal(SIGPIPE, SIG_DFL); }
    } ignore_sigpipe;
    auto expect_error = [&](const httplib::Result& r, int status, const char* what) {
        ASSERT_TRUE(r) << what;
        EXPECT_EQ(r->status, status) << what << ": " << r->body;
        EXPECT_TRUE(pc::api::decode_error_body(r->body)) << what << ": " << r->body;
    };
    expect_error(pcd.post(batch("m", 1), {{"apikey", "wrong-key-0001"}}), 401, "wrong key");
    expect_error(pcd.post(batch("m", 1), {}), 401, "no key");
    expect_error(pcd.post("{\"identifier\":\"m\",\"measurements\":[{]}"), 400, "bad JSON");
    expect_error(pcd.post("\x1f\x8b\x08garbage", {{"apikey", kKey}, {"Content-Encoding", "gzip"}}),
                 400, "bad gzip");
    expect_error(pcd.post(std::string(100 * 1024, 'x')), 413, "oversized");
    std::string bomb = gzip(batch("m", 1) + std::string(50 << 20, ' '));
    expect_error(pcd.post(bomb, {{"apikey", kKey}, {"Content-Encoding", "gzip"}}), 413,
                 "gzip bomb");
    expect_error(pcd.post(bomb, {{"apikey", kKey}, {"Content-Encoding", "GZIP"}}), 413,
                 "gzip bomb, upper case");
    expect_error(pcd.post("\x1f\x8b\x08garbage", {{"apikey", kKey}, {"Content-Encoding", "GZIP"}}),
                 400, "bad gzip, upper case");
    expect_error(pcd.post(batch("../../../tmp/evil", 1)), 400, "path traversal");
    expect_error(pcd.post(batch("m/x", 1)), 400, "slash in identifier");
    expect_error(pcd.post(batch("m", 1), {{"apikey", kKey}, {"Content-Encoding", "zstd"}}), 415,
                 "unsupported encoding");
    {
        // Headers far beyond any sane size: refused (or the connection dropped), never served.
        auto r = pcd.client().Post("/v1/trickle",
                                   {{"apikey", kKey}, {"X-Padding", std::string(200 * 1024, 'a')}},
                                   batch("m", 1), "application/json");
        if (r) {
            EXPECT_GE(r->status, 400);
        }
    }
    EXPECT_EQ(stored("m"), "") << "no refused request stored anything";
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "tmp"));
    EXPECT_EQ(pcd.post(batch("m", 1))->status, 200) << "still serving";
    EXPECT_EQ(count_lines(stored("m")), 2);
}

TEST_F(PcdTest, SighupReloadsKeysWithoutDroppingConnections) {
    Pcd pcd(home_);
    httplib::Client cli("127.0.0.1", pcd.port());
    cli.set_keep_alive(true);
    const std::string second = "second-key-0002";
    EXPECT_EQ(
        cli.Post("/v1/trickle", {{"apikey", kKey}}, batch("m", 1), "application/json")->status,
        200);
    EXPECT_EQ(pcd.post(batch("n", 1), {{"apikey", second}})->status, 401);
    pc::test::write_file(home_ / "apikeys", std::string(kKey) + "\n" + second + "\n");
    pcd.child().signal(SIGHUP);
    ASSERT_TRUE(pcd.child().wait_for_err("loaded 2 API keys", 10s)) << pcd.child().err_so_far();
    EXPECT_EQ(pcd.post(batch("n", 1), {{"apikey", second}})->status, 200);
    EXPECT_EQ(
        cli.Post("/v1/trickle", {{"apikey", kKey}}, batch("m", 2), "application/json")->status, 200)
        << "the keep-alive connection survived the reload";
    EXPECT_TRUE(pcd.child().running());
    EXPECT_EQ(pcd.child().err_so_far().find(second), std::string::npos) << "keys never logged";
}

TEST_F(PcdTest, AdminRoutesRefuseMachineKeys) {
    pc::test::write_file(home_ / "adminkeys", std::string(kAdmin) + "\n");
    Pcd pcd(home_);
    pcd.post(batch("alpha", 100));
    pcd.post(batch("beta", 200));
    auto cli = pcd.client();
    EXPECT_EQ(cli.Get("/v1/machines", {{"apikey", kKey}})->status, 403);
    EXPECT_EQ(cli.Get("/v1/machines/alpha/collection", {{"apikey", kKey}})->status, 403);
    auto r = cli.Get("/v1/machines", {{"apikey", kAdmin}});
    ASSERT_EQ(r->status, 200);
    auto machines = pc::api::decode_machines(r->body);
    ASSERT_TRUE(machines);
    ASSERT_EQ(machines->size(), 2u);
    EXPECT_EQ((*machines)[1].identifier, "beta");
    EXPECT_EQ((*machines)[1].records, 2u);
    r = cli.Get("/v1/machines/alpha/collection?since=100&until=100", {{"apikey", kAdmin}});
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(r->body, stored("alpha"));
}

TEST_F(PcdTest, AdminRoutesDisabledWithoutAdminKeysFile) {
    Pcd pcd(home_);
    EXPECT_EQ(pcd.client().Get("/v1/machines", {{"apikey", kKey}})->status, 403);
    EXPECT_NE(pcd.child().err_so_far().find("no admin keys file"), std::string::npos);
}

TEST_F(PcdTest, ResentBatchIsStoredOnce) {
    Pcd pcd(home_);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(pcd.post(batch("m", 7, "agent-9-9"))->status, 200);
    EXPECT_EQ(count_lines(stored("m")), 2);
}

// The per-machine gauges come from the store's index: a restarted pcd reports the same
// last-seen time rather than forgetting every machine until it sends again.
TEST_F(PcdTest, MachineMetricsSurviveARestart) {
    std::string first;
    {
        Pcd pcd(home_);
        ASSERT_EQ(pcd.post(batch("alpha", 100))->status, 200);
        ASSERT_EQ(pcd.post(batch("alpha", 105))->status, 200);
        first = pcd.client().Get("/metrics")->body;
        pcd.child().signal(SIGTERM);
        EXPECT_EQ(pcd.child().wait(20s).exit_code, 0);
    }
    std::smatch seen;
    const std::regex re("pcd_machine_last_seen_timestamp_seconds\\{machine=\"alpha\"\\} [0-9]+\n");
    ASSERT_TRUE(std::regex_search(first, seen, re)) << first;
    EXPECT_NE(first.find("pcd_machine_records{machine=\"alpha\"} 4\n"), std::string::npos) << first;
    Pcd restarted(home_);
    auto again = restarted.client().Get("/metrics")->body;
    EXPECT_NE(again.find(seen.str()), std::string::npos) << again;
    EXPECT_NE(again.find("pcd_machine_records{machine=\"alpha\"} 4\n"), std::string::npos) << again;
    EXPECT_NE(again.find("pcd_machine_last_record_timestamp_seconds{machine=\"alpha\"} 105\n"),
              std::string::npos)
        << again;
}

TEST_F(PcdTest, SigkillAndRestartKeepEveryAcknowledgedBatchExactlyOnce) {
    constexpr int kClients = 4;
    constexpr int kBatches = 400;
    std::vector<std::vector<bool>> acked(kClients, std::vector<bool>(kBatches, false));
    {
        Pcd pcd(home_);
        std::atomic<bool> killed{false};
        std::vector<std::thread> threads;
        for (int c = 0; c < kClients; ++c) {
            threads.emplace_back([&, c] {
                httplib::Client cli("127.0.0.1", pcd.port());
                cli.set_keep_alive(true);
                cli.set_read_timeout(5, 0);
                // Built with append: GCC 12 -O3 reports a false -Wrestrict on "m" + string.
                const std::string machine = std::string("m").append(std::to_string(c));
                const std::string sender = std::string("c").append(std::to_string(c));
                for (int b = 0; b < kBatches && !killed; ++b) {
                    auto r = cli.Post("/v1/trickle", {{"apikey", kKey}},
                                      batch(machine, b, sender + "-" + std::to_string(b)),
                                      "application/json");
                    if (r && r->status == 200) acked[c][b] = true;
                }
            });
        }
        std::this_thread::sleep_for(300ms);
        pcd.child().signal(SIGKILL);
        killed = true;
        for (auto& t : threads) t.join();
    }
    long acknowledged = 0;
    for (const auto& client : acked) acknowledged += std::count(client.begin(), client.end(), true);
    ASSERT_GT(acknowledged, 0) << "pcd was killed before acknowledging anything";
    Pcd restarted(home_, {{"PCD_RATELIMIT", "0"}});
    for (int c = 0; c < kClients; ++c) {
        const std::string id = std::string("m").append(std::to_string(c));  // see -Wrestrict above
        const std::string sender = std::string("c").append(std::to_string(c));
        std::string before = stored(id);
        for (int b = 0; b < kBatches; ++b) {
            if (acked[c][b]) {
                EXPECT_NE(before.find("{\"timestamp\":" + std::to_string(b) + ","),
                          std::string::npos)
                    << id << " lost acknowledged batch " << b;
            }
        }
        // The agent resends everything it has not seen acknowledged, and some it has.
        int resend_from = 0;
        for (int b = 0; b < kBatches; ++b)
            if (acked[c][b]) resend_from = std::max(0, b - 3);
        for (int b = resend_from; b < kBatches; ++b) {
            auto r = restarted.post(batch(id, b, sender + "-" + std::to_string(b)));
            ASSERT_TRUE(r);
            ASSERT_EQ(r->status, 200);
        }
        std::string after = stored(id);
        EXPECT_EQ(count_lines(after), 2 * kBatches) << id;
        for (int b = 0; b < kBatches; ++b) {
            std::string needle =
                "{\"timestamp\":" + std::to_string(b) + ",\"subsystem\":\"/proc/stat\"";
            auto first = after.find(needle);
            ASSERT_NE(first, std::string::npos) << id << " batch " << b;
            EXPECT_EQ(after.find(needle, first + 1), std::string::npos)
                << id << " batch " << b << " twice";
        }
    }
}

TEST_F(PcdTest, SigtermStopsCleanly) {
    Pcd pcd(home_);
    EXPECT_EQ(pcd.post(batch("m", 1))->status, 200);
    pcd.child().signal(SIGTERM);
    auto result = pcd.child().wait(20s);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("stopped"), std::string::npos);
}

// SIGTERM and SIGINT: pcd stops accepting connections, serves the request whose body is still
// arriving, closes idle keep-alive connections, and exits 0.
class PcdStopTest : public PcdTest, public ::testing::WithParamInterface<int> {};

TEST_P(PcdStopTest, FinishesARequestWhoseBodyIsStillArriving) {
    const int sig = GetParam();
    const std::string name = sig == SIGTERM ? "SIGTERM" : "SIGINT";
    Pcd pcd(home_);
    ASSERT_GT(pcd.port(), 0);
    // An idle keep-alive connection must not hold pcd up.
    httplib::Client idle("127.0.0.1", pcd.port());
    idle.set_keep_alive(true);
    ASSERT_EQ(
        idle.Post("/v1/trickle", {{"apikey", kKey}}, batch("idle", 1), "application/json")->status,
        200);

    const std::string body = batch("slow", 42, "slow-agent-1-1");
    const std::string head =
        "POST /v1/trickle HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: " + std::string(kKey) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    const int fd = pc::fault::connect_local(pcd.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(pc::fault::send_all(fd, head + body.substr(0, body.size() / 2)));
    std::this_thread::sleep_for(300ms);  // pcd has read the head and half the body
    pcd.child().signal(sig);
    ASSERT_TRUE(pcd.child().wait_for_err(name + ": no new connections", 10s))
        << pcd.child().err_so_far();
    // No new connections: the listening socket is closed.
    EXPECT_TRUE(pc::fault::wait_until(
        [&] {
            const int other = pc::fault::connect_local(pcd.port());
            if (other < 0) return true;
            ::close(other);
            return false;
        },
        5s))
        << "pcd still accepts connections after " << name;
    EXPECT_TRUE(pcd.child().running()) << "pcd exited with a request in flight";
    ASSERT_TRUE(pc::fault::send_all(fd, std::string_view(body).substr(body.size() / 2)));
    const auto response = pc::fault::read_response(fd, 10s);
    ::close(fd);
    EXPECT_EQ(pc::fault::status_of(response), 200) << response;

    const auto answered = std::chrono::steady_clock::now();
    const auto result = pcd.child().wait(20s);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_LT(std::chrono::steady_clock::now() - answered, 4s) << "slow to exit after the drain";
    EXPECT_NE(result.err.find("stopped"), std::string::npos) << result.err;
    EXPECT_EQ(stored("slow"),
              "{\"timestamp\":42,\"subsystem\":\"/proc/stat\",\"measurement\":\"cpu  1 2 3\\n\"}\n"
              "{\"timestamp\":42,\"subsystem\":\"/proc/loadavg\",\"measurement\":\"0.00 0.01 "
              "0.05 1/1 9\\n\"}\n");
    EXPECT_EQ(count_lines(stored("idle")), 2);
}

INSTANTIATE_TEST_SUITE_P(Signals, PcdStopTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& param) {
                             return std::string(param.param == SIGTERM ? "Sigterm" : "Sigint");
                         });

TEST_F(PcdTest, MissingKeysFileIsAClearStartupError) {
    std::filesystem::remove(home_ / "apikeys");
    auto result =
        pc::test::run({(pc::test::bin_dir() / "pcd").string()},
                      {{"PCD_HOME", home_.string()}, {"PCD_LISTENADDRESS", "127.0.0.1:0"}}, 20s);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("pcctl apikey generate"), std::string::npos) << result.err;
}

// A second pcd on a port that one already serves must fail, not share the port (with
// SO_REUSEPORT the kernel would split the agents' connections between the two).
TEST_F(PcdTest, SecondPcdOnTheSamePortIsRefused) {
    Pcd first(home_);
    ASSERT_GT(first.port(), 0);
    pc::test::TempDir other_home;
    pc::test::write_file(other_home / "apikeys", std::string(kKey) + "\n");
    auto result =
        pc::test::run({(pc::test::bin_dir() / "pcd").string()},
                      {{"PCD_HOME", other_home.path().string()},
                       {"PCD_LISTENADDRESS", "127.0.0.1:" + std::to_string(first.port())}},
                      20s);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("address in use"), std::string::npos) << result.err;
    // The first one still answers every request.
    for (int i = 0; i < 20; ++i) ASSERT_EQ(first.post(batch("m", i + 1))->status, 200) << i;
    EXPECT_EQ(count_lines(stored("m")), 40);
}

TEST_F(PcdTest, ServesHttpsWithACertificateMadeByOpenssl) {
    auto cert = dir_.path() / "cert.pem";
    auto key = dir_.path() / "key.pem";
    auto made = pc::test::run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                               "-keyout", key.string(), "-out", cert.string(), "-days", "1",
                               "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                              {}, 30s);
    if (made.exit_code != 0)
        GTEST_SKIP() << "openssl CLI unavailable (scripts/setup installs it): " << made.err;
    Pcd pcd(home_, {{"PCD_TLSCERT", cert.string()}, {"PCD_TLSKEY", key.string()}});
    EXPECT_NE(pcd.child().err_so_far().find("(https)"), std::string::npos);
    httplib::SSLClient cli("127.0.0.1", pcd.port());
    cli.set_ca_cert_path(cert.c_str());
    cli.enable_server_certificate_verification(true);
    auto r = cli.Post("/v1/trickle", {{"apikey", kKey}}, batch("tls", 5), "application/json");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(count_lines(stored("tls")), 2);
    // Plain HTTP to the HTTPS port gets no answer that could be mistaken for success.
    auto plain = pcd.client().Get("/v1/ping");
    EXPECT_TRUE(!plain || plain->status != 200);
}
