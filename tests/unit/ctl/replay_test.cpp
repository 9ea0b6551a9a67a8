#include "pc/ctl/replay.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "pc/api/trickle.hpp"
#include "pc/client/base_url.hpp"
#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"
#include "pc/server/listen_socket.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using pc::ctl::ReplayState;

TEST(ReplayState, RoundTripAndBatchIds) {
    pc::test::TempDir dir;
    ReplayState s{"abc123", "vm-1", "http://127.0.0.1:1", 20, 100, ReplayState::Batch{20, 10}};
    pc::ctl::save_replay_state(dir / "st", s);
    auto back = pc::ctl::load_replay_state(dir / "st");
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
    EXPECT_FALSE(pc::ctl::load_replay_state(dir / "missing"));
    EXPECT_EQ(pc::ctl::replay_batch_id("abc123", {20, 10}), "replay-abc123-20-10");
    EXPECT_NE(pc::ctl::replay_batch_id("abc123", {20, 10}),
              pc::ctl::replay_batch_id("abc123", {20, 9}));
}

TEST(ReplayState, BrokenFilesAreRefusedWithAFix) {
    pc::test::TempDir dir;
    for (const char* text :
         {"not json", "{\"version\":2}", "{\"version\":1,\"collection_key\":\"k\"}",
          R"({"version":1,"collection_key":"k","identifier":"i","server":"s","acked_ticks":5,)"
          R"("acked_records":9,"inflight":{"first_tick":3,"ticks":2}})"}) {
        pc::test::write_file(dir / "st", text);
        try {
            pc::ctl::load_replay_state(dir / "st");
            ADD_FAILURE() << "accepted " << text;
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("--restart"), std::string::npos) << e.what();
        }
    }
}

// A trickle endpoint that records every request and can fail chosen requests.
class FakePcd {
public:
    FakePcd() {
        server_.Post("/v1/trickle", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mu_);
            ++requests_;
            if (fail_next_ > 0) {
                --fail_next_;
                res.status = 503;
                res.set_content(R"({"error":"busy"})", "application/json");
                return;
            }
            auto decoded = pc::api::decode_trickle_request(req.body);
            if (!decoded.request || req.get_header_value("apikey") != "machine-key-1") {
                res.status = decoded.request ? 401 : 400;
                res.set_content(R"({"error":"no"})", "application/json");
                return;
            }
            bodies_.push_back(*decoded.request);
            res.set_content("{}", "application/json");
        });
        server_.set_socket_options(pc::server::set_exclusive_listen_options);
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 5000 && !server_.is_running(); ++i) std::this_thread::sleep_for(1ms);
    }
    ~FakePcd() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void fail_next(int n) {
        std::lock_guard lock(mu_);
        fail_next_ = n;
    }
    std::vector<pc::api::TrickleRequest> bodies() {
        std::lock_guard lock(mu_);
        return bodies_;
    }
    int requests() {
        std::lock_guard lock(mu_);
        return requests_;
    }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mu_;
    int fail_next_ = 0;
    int requests_ = 0;
    std::vector<pc::api::TrickleRequest> bodies_;
};

struct ReplayFixture : ::testing::Test {
    pc::test::TempDir dir;
    FakePcd pcd;
    pc::client::HttpClient http{pc::client::parse_base_url(pcd.url())};
    pc::ctl::ReplayOptions options;
    std::vector<std::chrono::milliseconds> slept;
    pc::ctl::ReplaySleeper sleeper = [this](std::chrono::milliseconds d) { slept.push_back(d); };

    void SetUp() override {
        std::string text;
        for (int t = 0; t < 7; ++t) {
            pc::record::encode_record(
                {1000 + 5 * t, "/proc/stat", "cpu  " + std::to_string(t) + "\n"}, text);
            pc::record::encode_record({1000 + 5 * t, "/proc/meminfo", "MemTotal: 1 kB\n"}, text);
        }
        pc::test::write_file(dir / "c.json", text);
        options.collection = (dir / "c.json").string();
        options.identifier = "vm-1";
        options.apikey = "machine-key-1";
        options.state_file = dir / "c.state";
        options.batch_ticks = 3;
        options.gzip = false;
    }
};

TEST_F(ReplayFixture, SendsEveryTickOnceInBatchesWithDeterministicIds) {
    auto summary = pc::ctl::replay_collection(http, options, sleeper);
    EXPECT_EQ(summary.total_ticks, 7u);
    EXPECT_EQ(summary.sent_ticks, 7u);
    EXPECT_EQ(summary.sent_records, 14u);
    EXPECT_EQ(summary.requests, 3u);
    auto bodies = pcd.bodies();
    ASSERT_EQ(bodies.size(), 3u);
    EXPECT_EQ(bodies[0].measurements.size(), 6u);
    EXPECT_EQ(bodies[2].measurements.size(), 2u);
    EXPECT_EQ(bodies[0].measurements[0].timestamp, 1000);
    EXPECT_EQ(bodies[2].measurements[0].timestamp, 1030);
    auto state = pc::ctl::load_replay_state(options.state_file);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->acked_ticks, 7u);
    EXPECT_FALSE(state->inflight);
    EXPECT_EQ(*bodies[1].batch_id, pc::ctl::replay_batch_id(state->collection_key, {3, 3}));

    // A second run sends nothing.
    auto again = pc::ctl::replay_collection(http, options, sleeper);
    EXPECT_EQ(again.sent_ticks, 0u);
    EXPECT_EQ(again.already_acked_ticks, 7u);
    EXPECT_EQ(pcd.requests(), 3);
}

TEST_F(ReplayFixture, AnInterruptedBatchIsResentIdenticallyEvenWithOtherOptions) {
    auto first = pc::ctl::replay_collection(http, options, sleeper);
    auto state = *pc::ctl::load_replay_state(options.state_file);
    // As if the run died after sending ticks 3..5 but before reading the answer.
    state.acked_ticks = 3;
    state.inflight = ReplayState::Batch{3, 3};
    pc::ctl::save_replay_state(options.state_file, state);
    options.batch_ticks = 2;
    auto summary = pc::ctl::replay_collection(http, options, sleeper);
    EXPECT_TRUE(summary.resent_inflight);
    EXPECT_EQ(summary.already_acked_ticks, 3u);
    auto bodies = pcd.bodies();
    ASSERT_EQ(bodies.size(), 3u + 2u);
    EXPECT_EQ(bodies[3].batch_id, bodies[1].batch_id);  // same id: pcd drops it
    EXPECT_EQ(bodies[3].measurements, bodies[1].measurements);
    EXPECT_EQ(bodies[4].measurements.size(), 2u);  // tick 6 alone, under the new batch size
    (void)first;
}

TEST_F(ReplayFixture, RetriesThenGivesUpSayingHowToResume) {
    pcd.fail_next(2);
    auto summary = pc::ctl::replay_collection(http, options, sleeper);
    EXPECT_EQ(summary.sent_ticks, 7u);
    EXPECT_EQ(slept.size(), 2u);
    EXPECT_EQ(pcd.bodies().size(), 3u);

    std::filesystem::remove(options.state_file);
    options.retries = 1;
    pcd.fail_next(100);
    try {
        pc::ctl::replay_collection(http, options, sleeper);
        FAIL() << "expected UserError";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("run the same command again"), std::string::npos)
            << e.what();
    }
    auto state = pc::ctl::load_replay_state(options.state_file);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->acked_ticks, 0u);
    ASSERT_TRUE(state->inflight);
    EXPECT_EQ(state->inflight->ticks, 3u);
}

TEST_F(ReplayFixture, RefusesAStateFileOfAnotherCollectionOrIdentifier) {
    pc::ctl::replay_collection(http, options, sleeper);
    auto other = options;
    other.identifier = "vm-2";
    EXPECT_THROW(pc::ctl::replay_collection(http, other, sleeper), pc::core::UserError);
    std::string text;
    pc::record::encode_record({1, "/proc/stat", "cpu  9\n"}, text);
    pc::test::write_file(dir / "other.json", text);
    other = options;
    other.collection = (dir / "other.json").string();
    EXPECT_THROW(pc::ctl::replay_collection(http, other, sleeper), pc::core::UserError);
}

TEST_F(ReplayFixture, MalformedLinesStopUnlessSkipped) {
    auto text = pc::test::read_file(dir / "c.json");
    pc::test::write_file(dir / "c.json", text.substr(0, text.size() / 2) + "\nnot json\n" +
                                             text.substr(text.size() / 2));
    EXPECT_THROW(pc::ctl::replay_collection(http, options, sleeper), pc::core::UserError);
    options.skip_malformed = true;
    auto summary = pc::ctl::replay_collection(http, options, sleeper);
    EXPECT_GE(summary.ignored_lines, 1u);
}

TEST_F(ReplayFixture, MissingKeyOrBadIdentifier) {
    auto o = options;
    o.apikey.clear();
    EXPECT_THROW(pc::ctl::replay_collection(http, o, sleeper), pc::core::UserError);
    o = options;
    o.identifier = "../etc";
    EXPECT_THROW(pc::ctl::replay_collection(http, o, sleeper), pc::core::UserError);
    o = options;
    o.apikey = "wrong-key-123";
    EXPECT_THROW(pc::ctl::replay_collection(http, o, sleeper), pc::core::UserError);
    EXPECT_EQ(pcd.bodies().size(), 0u);
}

}  // namespace
