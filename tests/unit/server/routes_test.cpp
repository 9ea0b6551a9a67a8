// The routes served in-process on 127.0.0.1 (ephemeral port) with a real store in a temp dir.
#include "pc/server/routes.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <ctime>
#include <regex>
#include <thread>

#include "pc/api/error_body.hpp"
#include "pc/api/health.hpp"
#include "pc/api/machines.hpp"
#include "pc/api/ping.hpp"
#include "pc/api/trickle.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/server/key_ring.hpp"
#include "pc/server/listen_socket.hpp"
#include "pc/server/metrics.hpp"
#include "pc/server/rate_limiter.hpp"
#include "pc/store/file_store.hpp"
#include "test_support.hpp"

namespace {

constexpr const char* kKey = "machine-key-0001";
constexpr const char* kAdmin = "admin-key-0001";
using pc::test::gzip;

class Routes : public ::testing::Test {
protected:
    void SetUp() override {
        pc::test::write_file(dir_ / "apikeys", std::string(kKey) + "\n");
        pc::test::write_file(dir_ / "adminkeys", std::string(kAdmin) + "\n");
        keys_.load();
        store_ = std::make_unique<pc::store::FileStore>(pc::store::StoreOptions{dir_ / "data", 16});
        // These tests post small timestamps (1, 2, 105...): no window, except where tested.
        context_ = std::make_unique<pc::server::ServerContext>(
            pc::server::ServerContext{*store_,
                                      keys_,
                                      limiter_,
                                      metrics_,
                                      64 * 1024,
                                      8,
                                      nullptr,
                                      {std::nullopt, std::nullopt}});
        pc::server::install_routes(server_, *context_);
        server_.set_socket_options(pc::server::set_exclusive_listen_options);
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    void TearDown() override {
        server_.stop();
        thread_.join();
    }

    httplib::Result post(const std::string& path, const std::string& body,
                         httplib::Headers headers = {{"apikey", kKey}}) {
        httplib::Client cli("127.0.0.1", port_);
        return cli.Post(path.c_str(), headers, body, "application/json");
    }
    httplib::Result get(const std::string& path, httplib::Headers headers = {}) {
        httplib::Client cli("127.0.0.1", port_);
        return cli.Get(path.c_str(), headers);
    }
    std::string stored(const std::string& id) {
        auto p = dir_ / "data" / (id + ".json");
        return std::filesystem::exists(p) ? pc::test::read_file(p) : std::string();
    }
    long lines(const std::string& id) {
        auto text = stored(id);
        return static_cast<long>(std::count(text.begin(), text.end(), '\n'));
    }
    static std::string body(const std::string& id, std::int64_t ts,
                            std::optional<std::string> batch = std::nullopt) {
        return pc::api::encode_trickle_request(
            {id, {{ts, "/proc/loadavg", "0.1 0.2 0.3 1/2 3\n"}}, std::move(batch)});
    }
    static std::string error_of(const httplib::Result& r) {
        return r ? pc::api::decode_error_body(r->body).value_or("<not an error body>")
                 : "<no response>";
    }

    pc::test::TempDir dir_;
    pc::server::KeyRing keys_{dir_ / "apikeys", dir_ / "adminkeys"};
    pc::server::RateLimiter limiter_{1000};
    pc::server::Metrics metrics_;
    std::unique_ptr<pc::store::FileStore> store_;
    std::unique_ptr<pc::server::ServerContext> context_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace

TEST_F(Routes, TrickleStoresAndAnswersEmptyObject) {
    auto r = post("/v1/trickle", body("m1", 10));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{}");
    EXPECT_EQ(stored("m1"),
              "{\"timestamp\":10,\"subsystem\":\"/proc/loadavg\",\"measurement\":\"0.1 0.2 0.3 "
              "1/2 3\\n\"}\n");
}

TEST_F(Routes, EveryKeyHeaderFormIsAccepted) {
    EXPECT_EQ(post("/v1/trickle", body("m", 1), {{"apikey", kKey}})->status, 200);
    EXPECT_EQ(post("/v1/trickle", body("m", 2), {{"Authorization", std::string("Bearer ") + kKey}})
                  ->status,
              200);
    EXPECT_EQ(post("/v1/trickle", body("m", 3), {{"X-API-Key", kKey}})->status, 200);
    EXPECT_EQ(lines("m"), 3);
}

TEST_F(Routes, RefusalsStoreNothing) {
    auto r = post("/v1/trickle", body("m", 1), {});
    EXPECT_EQ(r->status, 401);
    EXPECT_NE(error_of(r).find("missing API key"), std::string::npos);
    r = post("/v1/trickle", body("m", 1), {{"apikey", "not-the-key-1"}});
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(error_of(r), "unknown API key");
    EXPECT_EQ(post("/v1/trickle", "{\"identifier\":", {{"apikey", kKey}})->status, 400);
    r = post("/v1/trickle", body("../../etc/passwd", 1));
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(error_of(r).find("invalid identifier"), std::string::npos);
    EXPECT_EQ(post("/v1/trickle", body(".hidden", 1))->status, 400);
    r = post("/v1/trickle", body("m", 1), {{"apikey", kKey}, {"Content-Encoding", "compress"}});
    EXPECT_EQ(r->status, 415);
    EXPECT_EQ(post("/v1/trickle", std::string(70 * 1024, ' '))->status, 413);
    EXPECT_EQ(store_->machine_count(), 0u);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "etc"));
}

TEST_F(Routes, GzipBodiesAreInflatedWithinTheLimit) {
    auto r =
        post("/v1/trickle", gzip(body("gz", 5)), {{"apikey", kKey}, {"Content-Encoding", "gzip"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_NE(stored("gz").find("\"timestamp\":5"), std::string::npos);
    // Small on the wire, far beyond the limit once inflated.
    std::string bomb = gzip(body("gz", 6) + std::string(10 << 20, ' '));
    ASSERT_LT(bomb.size(), 64u * 1024);
    r = post("/v1/trickle", bomb, {{"apikey", kKey}, {"Content-Encoding", "gzip"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    r = post("/v1/trickle", "definitely not gzip",
             {{"apikey", kKey}, {"Content-Encoding", "gzip"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(stored("gz").find("\"timestamp\":6"), std::string::npos);
}

TEST_F(Routes, ResentBatchIsStoredOnce) {
    for (int i = 0; i < 3; ++i) {
        auto r = post("/v1/trickle", body("m", 7, "agent-1-1"));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->get_header_value("X-PCD-Batch"), i == 0 ? "stored" : "duplicate");
    }
    EXPECT_EQ(lines("m"), 1);
    auto h = pc::api::decode_health(get("/health")->body);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->batches_stored, 1u);
    EXPECT_EQ(h->duplicates, 2u);
}

TEST_F(Routes, PingVersionHealthMetrics) {
    auto r = get("/v1/ping");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    auto pong = pc::api::decode_ping_response(r->body);
    ASSERT_TRUE(pong);
    EXPECT_GT(pong->timestamp, 1600000000);
    r = post("/v1/ping", "{\"timestamp\":12345}", {});
    pong = pc::api::decode_ping_response(r->body);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->origin_timestamp, 12345);
    EXPECT_EQ(post("/v1/ping", "[1]", {})->status, 400);
    EXPECT_NE(get("/v1/version")->body.find("\"version\""), std::string::npos);
    post("/v1/trickle", body("m", 1));
    post("/v1/trickle", body("m", 1), {});
    auto metrics = get("/metrics")->body;
    EXPECT_NE(metrics.find("pcd_requests_total{route=\"/v1/trickle\",status=\"200\"} 1"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("pcd_rejected_requests_total{reason=\"auth\"} 1"), std::string::npos);
    EXPECT_NE(metrics.find("pcd_records_stored_total 1"), std::string::npos);
    EXPECT_NE(metrics.find("pcd_store_latency_seconds_count 1"), std::string::npos);
    auto health = pc::api::decode_health(get("/health")->body);
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, "ok");
    EXPECT_EQ(health->machines, 1u);
    EXPECT_EQ(health->records_stored, 1u);
}

// A silent agent shows in Prometheus: per machine, when pcd last stored a batch from it, its
// newest record's timestamp, and how much is stored.
TEST_F(Routes, MetricsPerMachine) {
    EXPECT_EQ(get("/metrics")->body.find("pcd_machine_records{"), std::string::npos);
    const auto before = std::time(nullptr);
    ASSERT_EQ(post("/v1/trickle", body("alpha", 100))->status, 200);
    ASSERT_EQ(post("/v1/trickle", body("beta", 200))->status, 200);
    ASSERT_EQ(post("/v1/trickle", body("beta", 205))->status, 200);
    const auto after = std::time(nullptr);
    auto metrics = get("/metrics")->body;
    EXPECT_NE(metrics.find("pcd_machines 2\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("# TYPE pcd_machine_last_seen_timestamp_seconds gauge\n"),
              std::string::npos);
    EXPECT_NE(metrics.find("pcd_machine_records{machine=\"alpha\"} 1\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("pcd_machine_records{machine=\"beta\"} 2\n"), std::string::npos);
    EXPECT_NE(metrics.find("pcd_machine_last_record_timestamp_seconds{machine=\"beta\"} 205\n"),
              std::string::npos);
    EXPECT_NE(metrics.find("pcd_machine_bytes{machine=\"alpha\"} " +
                           std::to_string(stored("alpha").size()) + "\n"),
              std::string::npos);
    for (const char* id : {"alpha", "beta"}) {
        std::smatch m;
        const std::regex seen(std::string("pcd_machine_last_seen_timestamp_seconds\\{machine=\"") +
                              id + "\"\\} ([0-9]+)\n");
        ASSERT_TRUE(std::regex_search(metrics, m, seen)) << id << "\n" << metrics;
        EXPECT_GE(std::stoll(m[1]), before);
        EXPECT_LE(std::stoll(m[1]), after);
    }
}

TEST_F(Routes, UnknownRoutesAndMethodsAnswerJsonErrors) {
    auto r = get("/nothing/here");
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(error_of(r).find("no route"), std::string::npos);
    r = post("/v1/elsewhere", "{}");
    EXPECT_EQ(r->status, 404);
    EXPECT_TRUE(pc::api::decode_error_body(r->body));
    httplib::Client cli("127.0.0.1", port_);
    r = cli.Delete("/v1/trickle");
    EXPECT_EQ(r->status, 405);
}

TEST_F(Routes, AdminRoutesNeedAnAdminKey) {
    post("/v1/trickle", body("m1", 10));
    post("/v1/trickle", body("m1", 20));
    post("/v1/trickle", body("m2", 30));
    EXPECT_EQ(get("/v1/machines")->status, 401);
    EXPECT_EQ(get("/v1/machines", {{"apikey", kKey}})->status, 403) << "machine key refused";
    EXPECT_EQ(get("/v1/machines", {{"apikey", "made-up-key-1"}})->status, 401);
    auto r = get("/v1/machines", {{"Authorization", std::string("Bearer ") + kAdmin}});
    ASSERT_EQ(r->status, 200);
    auto machines = pc::api::decode_machines(r->body);
    ASSERT_TRUE(machines);
    ASSERT_EQ(machines->size(), 2u);
    EXPECT_EQ((*machines)[0].identifier, "m1");
    EXPECT_EQ((*machines)[0].records, 2u);
    EXPECT_EQ((*machines)[0].first_timestamp, 10);
    EXPECT_EQ((*machines)[0].last_timestamp, 20);
    EXPECT_EQ((*machines)[0].bytes, stored("m1").size());

    EXPECT_EQ(get("/v1/machines/m1/collection", {{"apikey", kKey}})->status, 403);
    r = get("/v1/machines/m1/collection", {{"apikey", kAdmin}});
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(r->body, stored("m1"));
    r = get("/v1/machines/m1/collection?since=15&until=25", {{"apikey", kAdmin}});
    EXPECT_EQ(r->body.find("\"timestamp\":10"), std::string::npos);
    EXPECT_NE(r->body.find("\"timestamp\":20"), std::string::npos);
    EXPECT_EQ(get("/v1/machines/m1/collection?since=x", {{"apikey", kAdmin}})->status, 400);
    EXPECT_EQ(get("/v1/machines/none/collection", {{"apikey", kAdmin}})->status, 404);
    EXPECT_EQ(get("/v1/machines/.hidden/collection", {{"apikey", kAdmin}})->status, 400);
    // httplib decodes %2F before routing: the path no longer matches the route at all.
    r = get("/v1/machines/..%2F..%2Fetc/collection", {{"apikey", kAdmin}});
    EXPECT_TRUE(r->status == 400 || r->status == 404) << r->status;
    EXPECT_TRUE(pc::api::decode_error_body(r->body));
}

TEST_F(Routes, RateLimitAnswers429) {
    pc::server::RateLimiter strict(1);  // burst of 2
    pc::server::ServerContext ctx{*store_,   keys_, strict,  metrics_,
                                  64 * 1024, 4,     nullptr, {std::nullopt, std::nullopt}};
    httplib::Server server;
    pc::server::install_routes(server, ctx);
    server.set_socket_options(pc::server::set_exclusive_listen_options);
    int port = server.bind_to_any_port("127.0.0.1");
    std::thread t([&] { server.listen_after_bind(); });
    httplib::Client cli("127.0.0.1", port);
    int limited = 0;
    for (int i = 0; i < 5; ++i) {
        auto r = cli.Post("/v1/trickle", {{"apikey", kKey}}, body("rl", i), "application/json");
        ASSERT_TRUE(r);
        if (r->status == 429) {
            ++limited;
            EXPECT_EQ(r->get_header_value("Retry-After"), "1");
        }
    }
    server.stop();
    t.join();
    EXPECT_GE(limited, 2);
    EXPECT_EQ(lines("rl"), 5 - limited);
}

TEST_F(Routes, RecordsOutsideTheTimestampWindowAreRefusedWhole) {
    context_->timestamps = pc::server::TimestampWindow{};  // the default: 2000-01-01 .. now + 24h
    const std::int64_t now = std::time(nullptr);
    auto r = post("/v1/trickle", body("clock", now - 3600));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    // The attack of issue 19: a record dated 2100 would hide the machine's later real records.
    r = post("/v1/trickle",
             pc::api::encode_trickle_request(
                 {"clock",
                  {{now, "/proc/stat", "cpu  1 2 3\n"}, {4'102'444'800, "/proc/loadavg", "0.1\n"}},
                  std::nullopt}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(error_of(r).find("record 2 (/proc/loadavg) has timestamp 4102444800"),
              std::string::npos)
        << error_of(r);
    EXPECT_NE(error_of(r).find("PCD_MAX_AHEAD"), std::string::npos) << error_of(r);
    r = post("/v1/trickle", body("clock", 42));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(error_of(r).find("PCD_MIN_TIMESTAMP"), std::string::npos) << error_of(r);
    EXPECT_EQ(lines("clock"), 1) << "nothing of a refused batch is stored";
    EXPECT_NE(
        metrics_.prometheus_text({}).find("pcd_rejected_requests_total{reason=\"timestamp\"} 2"),
        std::string::npos);
}

TEST_F(Routes, AKeyBoundToIdentifiersWritesOnlyThose) {
    pc::test::write_file(
        dir_ / "apikeys",
        std::string(kKey) + "\n" + pc::keys::hashed_key_line("web-key-00001", {"web-*"}) + "\n");
    keys_.load();
    auto r = post("/v1/trickle", body("web-01", 1), {{"apikey", "web-key-00001"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    r = post("/v1/trickle", body("victim", 1), {{"apikey", "web-key-00001"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_NE(error_of(r).find("may not write identifier victim"), std::string::npos)
        << error_of(r);
    EXPECT_EQ(error_of(r).find("web-key-00001"), std::string::npos) << "never the key";
    EXPECT_EQ(stored("victim"), "");
    // An unbound key still writes anywhere.
    EXPECT_EQ(post("/v1/trickle", body("victim", 1))->status, 200);
}

TEST_F(Routes, ANewIdentifierBeyondTheMachineLimitIsRefusedWith403) {
    pc::store::StoreOptions o{dir_ / "limited", 16};
    o.max_machines = 1;
    pc::store::FileStore limited(o);
    pc::server::ServerContext ctx{limited,   keys_, limiter_, metrics_,
                                  64 * 1024, 4,     nullptr,  {std::nullopt, std::nullopt}};
    httplib::Server server;
    pc::server::install_routes(server, ctx);
    int port = server.bind_to_any_port("127.0.0.1");
    std::thread t([&] { server.listen_after_bind(); });
    httplib::Client cli("127.0.0.1", port);
    const httplib::Headers key{{"apikey", kKey}};
    EXPECT_EQ(cli.Post("/v1/trickle", key, body("first", 1), "application/json")->status, 200);
    auto r = cli.Post("/v1/trickle", key, body("second", 1), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_NE(error_of(r).find("PCD_MAX_MACHINES"), std::string::npos) << error_of(r);
    EXPECT_EQ(cli.Post("/v1/trickle", key, body("first", 2), "application/json")->status, 200);
    server.stop();
    t.join();
}
