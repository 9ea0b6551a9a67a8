// The trickle sink against an in-test server on 127.0.0.1 that can answer 200, 400, 401, 413,
// 415, 500, 400 to gzip bodies only, hang, or store a batch and lose the response.
#include "pc/trickle/trickle_sink.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <set>
#include <sstream>
#include <thread>

#include "log_capture.hpp"
#include "pc/api/trickle.hpp"
#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"
#include "pc/server/listen_socket.hpp"
#include "pc/spool/spool.hpp"
#include "pc/trickle/make_trickle_sink.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using pc::record::Record;
using pc::record::Tick;

namespace {

enum class Answer {
    ok,             // store (once per batch_id, like pcd) and answer 200
    unauthorized,   // 401
    no_gzip,        // 415 when the body is gzip, else ok
    server_error,   // 500
    too_large,      // 413 when the batch has more than one tick's records, else ok
    bad_request,    // 400
    plain_only,     // 400 when the body is gzip (a server that reads plain JSON only), else ok
    hang,           // answer nothing until released (or 3 s)
    lose_response,  // store, then answer only after the client gave up
};

struct Received {
    std::string batch_id;
    std::string encoding;
    std::string apikey;
    std::size_t records = 0;
    int status = 0;
};

// A minimal pcd: decodes with the real wire decoder and suppresses duplicate batch_ids.
class FakePcd {
public:
    explicit FakePcd(std::chrono::milliseconds lose_delay = 800ms) : lose_delay_(lose_delay) {
        server_.Post("/v1/trickle", [this](const httplib::Request& req, httplib::Response& res) {
            handle(req, res);
        });
        server_.set_socket_options(pc::server::set_exclusive_listen_options);
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(2ms);
    }
    ~FakePcd() {
        release_ = true;
        server_.stop();
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // Answers for the next requests, in order; afterwards `otherwise`.
    void script(std::initializer_list<Answer> answers) {
        std::lock_guard lock(mutex_);
        script_.insert(script_.end(), answers);
    }
    void set_default(Answer a) {
        std::lock_guard lock(mutex_);
        default_ = a;
    }
    void release() { release_ = true; }
    std::vector<pc::record::Record> stored() const {
        std::lock_guard lock(mutex_);
        return stored_;
    }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    void handle(const httplib::Request& req, httplib::Response& res) {
        Answer answer;
        {
            std::lock_guard lock(mutex_);
            if (!script_.empty()) {
                answer = script_.front();
                script_.pop_front();
            } else {
                answer = default_;
            }
        }
        Received r;
        r.encoding = req.get_header_value("Content-Encoding");
        r.apikey = req.get_header_value("apikey");
        auto decoded = pc::api::decode_trickle_request(req.body);  // httplib already inflated gzip
        if (!decoded.request) {
            res.status = 400;
            res.set_content("{\"error\":\"" + decoded.error + "\"}", "application/json");
            return;
        }
        r.batch_id = decoded.request->batch_id.value_or("");
        r.records = decoded.request->measurements.size();
        if (answer == Answer::no_gzip) answer = r.encoding == "gzip" ? Answer::no_gzip : Answer::ok;
        if (answer == Answer::plain_only)
            answer = r.encoding == "gzip" ? Answer::bad_request : Answer::ok;
        if (answer == Answer::too_large) answer = r.records > 2 ? Answer::too_large : Answer::ok;
        switch (answer) {
            case Answer::ok:
            case Answer::lose_response: {
                std::lock_guard lock(mutex_);
                if (seen_.insert(r.batch_id).second)
                    stored_.insert(stored_.end(), decoded.request->measurements.begin(),
                                   decoded.request->measurements.end());
                res.status = 200;
                res.set_content("{}", "application/json");
                break;
            }
            case Answer::unauthorized:
                res.status = 401;
                res.set_content("{\"error\":\"invalid api key\"}", "application/json");
                break;
            case Answer::no_gzip:
                res.status = 415;
                res.set_content("{\"error\":\"unsupported encoding\"}", "application/json");
                break;
            case Answer::server_error:
                res.status = 500;
                res.set_content("{\"error\":\"disk full\"}", "application/json");
                break;
            case Answer::too_large:
                res.status = 413;
                res.set_content("{\"error\":\"too large\"}", "application/json");
                break;
            case Answer::bad_request:
            case Answer::plain_only:  // resolved above
                res.status = 400;
                res.set_content("{\"error\":\"nope\"}", "application/json");
                break;
            case Answer::hang:
                for (int i = 0; i < 300 && !release_; ++i) std::this_thread::sleep_for(10ms);
                res.status = 503;
                break;
        }
        r.status = res.status;
        {
            std::lock_guard lock(mutex_);
            received_.push_back(r);
        }
        if (answer == Answer::lose_response)
            for (auto waited = 0ms; waited < lose_delay_ && !release_; waited += 10ms)
                std::this_thread::sleep_for(10ms);
    }

    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::chrono::milliseconds lose_delay_;
    std::atomic<bool> release_{false};
    mutable std::mutex mutex_;
    std::deque<Answer> script_;
    Answer default_ = Answer::ok;
    std::set<std::string> seen_;
    std::vector<pc::record::Record> stored_;
    std::vector<Received> received_;
};

pc::record::Tick make_tick(int i) {
    return {pc::record::Record{1700000000 + i, "/proc/stat",
                               "cpu  " + std::to_string(i) + " 2 3\n\"q\" <&>"},
            pc::record::Record{1700000000 + i, "/proc/meminfo", "MemTotal: 1 kB\n"}};
}

std::vector<pc::record::Record> ticks_records(int from, int to) {
    std::vector<pc::record::Record> out;
    for (int i = from; i < to; ++i) {
        auto t = make_tick(i);
        out.insert(out.end(), t.begin(), t.end());
    }
    return out;
}

pc::trickle::TrickleOptions options_for(const FakePcd& pcd, const pc::test::TempDir& dir) {
    pc::trickle::TrickleOptions o;
    o.server_url = pcd.url();
    o.api_key = "test-key-abcdefgh";
    o.identifier = "host-1";
    o.spool_dir = dir / "spool";
    o.batch_max = 3;
    o.request_timeout = 400ms;
    o.retry_initial = 20ms;
    o.retry_max = 100ms;
    return o;
}

using pc::test::LogCapture;

template <class F>
bool eventually(F condition, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

}  // namespace

TEST(TrickleSink, MissingKeyIsAUserError) {
    pc::test::TempDir dir;
    pc::trickle::TrickleOptions o;
    o.identifier = "host-1";
    o.spool_dir = dir / "spool";
    try {
        pc::trickle::make_trickle_sink(o);
        FAIL() << "accepted an empty key";
    } catch (const pc::core::UserError& e) {
        EXPECT_TRUE(std::string(e.what()).starts_with("PCC_APIKEY is required in trickle mode;"))
            << e.what();
    }
}

TEST(TrickleSink, InvalidIdentifierOrUrlIsAUserError) {
    pc::test::TempDir dir;
    pc::trickle::TrickleOptions o;
    o.api_key = "test-key-abcdefgh";
    o.spool_dir = dir / "spool";
    o.identifier = "../etc";
    EXPECT_THROW(pc::trickle::make_trickle_sink(o), pc::core::UserError);
    o.identifier = "ok";
    o.server_url = "ftp://x";
    EXPECT_THROW(pc::trickle::make_trickle_sink(o), pc::core::UserError);
}

TEST(TrickleSink, DeliversEveryTickInOrderGzipped) {
    pc::test::TempDir dir;
    FakePcd pcd;
    LogCapture logs;
    auto sink = std::make_unique<pc::trickle::TrickleSink>(options_for(pcd, dir));
    for (int i = 0; i < 10; ++i) sink->write(make_tick(i));
    EXPECT_EQ(sink->finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 10));
    for (const auto& r : pcd.received()) {
        EXPECT_EQ(r.encoding, "gzip");
        EXPECT_EQ(r.apikey, "test-key-abcdefgh");
        EXPECT_FALSE(r.batch_id.empty());
        EXPECT_LE(r.records, 6u) << "more than PCC_BATCH_MAX ticks in one request";
    }
    EXPECT_EQ(sink->stats().delivered_ticks, 10u);
    EXPECT_EQ(logs.text().find("test-key-abcdefgh"), std::string::npos) << "API key in the log";
}

TEST(TrickleSink, FallsBackToUncompressedOn415) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::no_gzip);
    pc::trickle::TrickleSink sink(options_for(pcd, dir));
    for (int i = 0; i < 4; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 4));
    EXPECT_FALSE(sink.stats().gzip);
    const auto received = pcd.received();
    ASSERT_GE(received.size(), 2u);
    EXPECT_EQ(received.front().status, 415);
    // Once off, gzip stays off.
    for (std::size_t i = 1; i < received.size(); ++i) EXPECT_EQ(received[i].encoding, "");
}

TEST(TrickleSink, RetriesServerErrorsUntilStored) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.script({Answer::server_error, Answer::server_error, Answer::server_error});
    pc::trickle::TrickleSink sink(options_for(pcd, dir));
    for (int i = 0; i < 5; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 5));
    EXPECT_GE(sink.stats().failed_attempts, 3u);
}

TEST(TrickleSink, UnauthorizedIsReportedOnceAndDataKept) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::unauthorized);
    LogCapture logs;
    pc::trickle::TrickleSink sink(options_for(pcd, dir));
    for (int i = 0; i < 3; ++i) sink.write(make_tick(i));
    ASSERT_TRUE(eventually([&] { return pcd.received().size() >= 4; })) << "no retries after 401";
    EXPECT_TRUE(pcd.stored().empty());
    EXPECT_EQ(sink.pending(), 3u);
    EXPECT_EQ(logs.count("refused PCC_APIKEY"), 1u) << logs.text();
    // The key is added on the server: the spooled ticks go through.
    pcd.set_default(Answer::ok);
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 3));
    EXPECT_EQ(logs.text().find("test-key-abcdefgh"), std::string::npos);
}

TEST(TrickleSink, LostResponseResendsSameBatchIdAndStoresOnce) {
    pc::test::TempDir dir;
    FakePcd pcd(1000ms);  // answers after the client's 400 ms read timeout
    pcd.script({Answer::lose_response});
    pc::trickle::TrickleSink sink(options_for(pcd, dir));
    for (int i = 0; i < 3; ++i) sink.write(make_tick(i));
    ASSERT_TRUE(eventually([&] { return sink.pending() == 0; }));
    for (int i = 3; i < 5; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    const auto received = pcd.received();
    ASSERT_GE(received.size(), 2u);
    EXPECT_EQ(received[0].batch_id, received[1].batch_id)
        << "the resend must carry the same batch_id";
    EXPECT_EQ(pcd.stored(), ticks_records(0, 5)) << "duplicates or losses";
}

TEST(TrickleSink, LostResponseAcrossRestartKeepsBatchId) {
    pc::test::TempDir dir;
    FakePcd pcd(3000ms);
    pcd.script({Answer::lose_response});
    std::string first_id;
    {
        pc::trickle::TrickleSink sink(options_for(pcd, dir));
        for (int i = 0; i < 2; ++i) sink.write(make_tick(i));
        ASSERT_TRUE(eventually([&] { return !pcd.received().empty(); }));
        // pcc stops while the response is still outstanding.
        EXPECT_EQ(sink.finish(0ms), 2u);
        first_id = pcd.received().at(0).batch_id;
    }
    pc::trickle::TrickleSink again(options_for(pcd, dir));
    again.write(make_tick(2));
    EXPECT_EQ(again.finish(10s), 0u);
    const auto received = pcd.received();
    ASSERT_GE(received.size(), 2u);
    EXPECT_EQ(received[1].batch_id, first_id);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 3));
}

TEST(TrickleSink, HangingServerDoesNotBlockWritesAndFinishIsBounded) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::hang);
    auto options = options_for(pcd, dir);
    options.request_timeout = 5000ms;  // finish must not wait for it
    pc::trickle::TrickleSink sink(options);
    sink.write(make_tick(0));
    ASSERT_TRUE(
        eventually([&] { return sink.stats().delivered_ticks == 0 && sink.pending() == 1; }));
    // While the sender is stuck, sampling goes on: every write lands in the spool.
    for (int i = 1; i < 6; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.pending(), 6u);
    EXPECT_EQ(sink.finish(200ms), 6u);
    pcd.release();
}

namespace {

// A pcd stand-in that comes up later on a port the sink already sends to, and keeps what it
// is sent.
class LatePcd {
public:
    LatePcd() {
        server_.Post("/v1/trickle", [this](const httplib::Request& req, httplib::Response& res) {
            auto d = pc::api::decode_trickle_request(req.body);
            std::lock_guard lock(mutex_);
            stored_.insert(stored_.end(), d.request->measurements.begin(),
                           d.request->measurements.end());
            res.set_content("{}", "application/json");
        });
        server_.set_socket_options(pc::server::set_exclusive_listen_options);
        server_.set_keep_alive_timeout(1);  // stop() waits for the sink's idle connection
    }
    ~LatePcd() { stop(); }
    LatePcd(const LatePcd&) = delete;
    LatePcd& operator=(const LatePcd&) = delete;

    bool start(int port) {
        if (!server_.bind_to_port("127.0.0.1", port)) return false;
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        return true;
    }
    void stop() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    std::vector<pc::record::Record> stored() const {
        std::lock_guard lock(mutex_);
        return stored_;
    }

private:
    httplib::Server server_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<pc::record::Record> stored_;
};

}  // namespace

TEST(TrickleSink, ServerDownAtStartThenUp) {
    pc::test::TempDir dir;
    const int port = pc::test::pick_free_port();
    auto options = [&] {
        pc::trickle::TrickleOptions o;
        o.server_url = "http://127.0.0.1:" + std::to_string(port);
        o.api_key = "test-key-abcdefgh";
        o.identifier = "host-1";
        o.spool_dir = dir / "spool";
        o.retry_initial = 20ms;
        o.retry_max = 100ms;
        o.request_timeout = 400ms;
        return o;
    }();
    pc::trickle::TrickleSink sink(options);
    for (int i = 0; i < 3; ++i) sink.write(make_tick(i));
    ASSERT_TRUE(eventually([&] { return sink.stats().failed_attempts >= 2; }));
    EXPECT_EQ(sink.pending(), 3u);
    // The server comes up on that port.
    LatePcd server;
    ASSERT_TRUE(server.start(port));
    const auto left = sink.finish(10s);
    server.stop();
    EXPECT_EQ(left, 0u);
    EXPECT_EQ(server.stored(), ticks_records(0, 3));
}

TEST(TrickleSink, EarlierSpoolDeliveredFirst) {
    pc::test::TempDir dir;
    FakePcd pcd;
    {
        pc::spool::Spool spool({dir / "spool", 1u << 20, nullptr});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
    }
    pc::trickle::TrickleSink sink(options_for(pcd, dir));
    for (int i = 3; i < 6; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 6));
}

TEST(TrickleSink, TooLargeBatchIsSplit) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::too_large);  // accepts only one tick (2 records) per request
    auto options = options_for(pcd, dir);
    options.batch_max = 4;
    {
        pc::spool::Spool spool({dir / "spool", 1u << 20, nullptr});
        for (int i = 0; i < 4; ++i) spool.append(make_tick(i));
    }
    pc::trickle::TrickleSink sink(options);
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(0, 4));
    EXPECT_EQ(sink.stats().rejected_batches, 0u);
}

TEST(TrickleSink, BadRequestIsQuarantinedAndQueueMovesOn) {
    pc::test::TempDir dir;
    FakePcd pcd;
    // The gzip request and its uncompressed resend.
    pcd.script({Answer::bad_request, Answer::bad_request});
    auto options = options_for(pcd, dir);
    options.batch_max = 1;
    {
        pc::spool::Spool spool({dir / "spool", 1u << 20, nullptr});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
    }
    pc::trickle::TrickleSink sink(options);
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(pcd.stored(), ticks_records(1, 3));
    EXPECT_EQ(sink.stats().rejected_batches, 1u);
    std::size_t jsonl = 0;
    std::string reasons;
    for (const auto& e : std::filesystem::directory_iterator(dir / "spool" / "rejected")) {
        if (e.path().extension() == ".jsonl") {
            ++jsonl;
            std::string expected;
            pc::record::encode_tick(make_tick(0), expected);
            EXPECT_EQ(pc::test::read_file(e.path()), expected);
        } else {
            reasons += pc::test::read_file(e.path());
        }
    }
    EXPECT_EQ(jsonl, 1u);
    // The server's {"error":"nope"} is decoded into the reason kept beside the batch.
    EXPECT_NE(reasons.find("HTTP 400: nope"), std::string::npos) << reasons;
}

TEST(TrickleSink, BadRequestToGzipOnlySwitchesToUncompressed) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::plain_only);
    LogCapture logs;
    pc::trickle::TrickleSink sink(options_for(pcd, dir));  // batches of at most 3 ticks
    for (int i = 0; i < 8; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    // Every tick exactly once, in order, and nothing set aside.
    EXPECT_EQ(pcd.stored(), ticks_records(0, 8));
    EXPECT_EQ(sink.stats().rejected_batches, 0u);
    EXPECT_FALSE(std::filesystem::exists(dir / "spool" / "rejected") &&
                 !std::filesystem::is_empty(dir / "spool" / "rejected"));
    EXPECT_FALSE(sink.stats().gzip);
    const auto received = pcd.received();
    ASSERT_GE(received.size(), 3u);
    EXPECT_EQ(received[0].encoding, "gzip");
    EXPECT_EQ(received[0].status, 400);
    // The resend is the same batch, uncompressed, and everything after it stays uncompressed.
    EXPECT_EQ(received[1].batch_id, received[0].batch_id);
    for (std::size_t i = 1; i < received.size(); ++i) {
        EXPECT_EQ(received[i].encoding, "") << "request " << i;
        EXPECT_EQ(received[i].status, 200) << "request " << i;
    }
    EXPECT_EQ(logs.count("the server does not accept gzip bodies"), 1u) << logs.text();
    EXPECT_EQ(logs.text().find("rejected batch"), std::string::npos) << logs.text();
}

TEST(TrickleSink, BadRequestWithAndWithoutGzipIsQuarantined) {
    pc::test::TempDir dir;
    FakePcd pcd;
    pcd.set_default(Answer::bad_request);
    LogCapture logs;
    auto options = options_for(pcd, dir);
    options.batch_max = 1;
    {
        pc::spool::Spool spool({dir / "spool", 1u << 20, nullptr});
        for (int i = 0; i < 2; ++i) spool.append(make_tick(i));
    }
    pc::trickle::TrickleSink sink(options);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(sink.finish(10s), 0u);
    // The drain ends when the last batch is set aside, not at its timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    EXPECT_TRUE(pcd.stored().empty());
    EXPECT_EQ(sink.stats().rejected_batches, 2u);
    // Content the server refuses either way does not turn gzip off: each batch is tried
    // compressed, then once uncompressed, then set aside.
    EXPECT_TRUE(sink.stats().gzip);
    const auto received = pcd.received();
    ASSERT_EQ(received.size(), 4u);
    for (std::size_t i = 0; i < received.size(); ++i) {
        EXPECT_EQ(received[i].encoding, i % 2 == 0 ? "gzip" : "") << "request " << i;
        EXPECT_EQ(received[i].batch_id, received[i - i % 2].batch_id) << "request " << i;
    }
    EXPECT_NE(received[0].batch_id, received[2].batch_id);
    std::size_t jsonl = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir / "spool" / "rejected"))
        jsonl += e.path().extension() == ".jsonl";
    EXPECT_EQ(jsonl, 2u);
    EXPECT_EQ(logs.count("rejected batch"), 2u) << logs.text();
    EXPECT_NE(logs.text().find("nope"), std::string::npos) << "server message not logged";
    EXPECT_EQ(logs.text().find("does not accept gzip"), std::string::npos) << logs.text();
}

TEST(TrickleSink, DrainRetriesAtOnceInsteadOfWaitingOutTheDelay) {
    pc::test::TempDir dir;
    const int port = pc::test::pick_free_port();
    pc::trickle::TrickleOptions o;
    o.server_url = "http://127.0.0.1:" + std::to_string(port);
    o.api_key = "test-key-abcdefgh";
    o.identifier = "host-1";
    o.spool_dir = dir / "spool";
    o.request_timeout = 400ms;
    o.retry_initial = 4000ms;  // the first retry waits 2-4 s, longer than the drain below
    o.retry_max = 8000ms;
    pc::trickle::TrickleSink sink(o);
    for (int i = 0; i < 3; ++i) sink.write(make_tick(i));
    ASSERT_TRUE(eventually([&] { return sink.stats().failed_attempts >= 1; }));
    // The server comes up while the sender waits to retry.
    LatePcd server;
    ASSERT_TRUE(server.start(port));
    const auto started = std::chrono::steady_clock::now();
    const auto left = sink.finish(1500ms);
    const auto took = std::chrono::steady_clock::now() - started;
    server.stop();
    EXPECT_EQ(left, 0u);
    EXPECT_LT(took, 1000ms) << "the drain waited for the retry delay";
    EXPECT_EQ(server.stored(), ticks_records(0, 3));
}

// PCC_SERVER_URL lists a server that is down, then a working one: every batch reaches the
// second at once (a backoff of 10 s is never waited) and the log names both.
TEST(TrickleSink, ConnectionErrorsMoveOnToTheNextServerAtOnce) {
    pc::test::TempDir dir;
    FakePcd second;
    LogCapture logs;
    auto o = options_for(second, dir);
    const std::string down = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    o.server_url = down + "," + second.url();
    o.retry_initial = 10s;  // a wait, had there been one, would outlast finish()'s 5 s
    o.retry_max = 10s;
    pc::trickle::TrickleSink sink(o);
    for (int i = 0; i < 7; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(5s), 0u);
    EXPECT_EQ(second.stored(), ticks_records(0, 7));
    EXPECT_GE(logs.count("sending to " + second.url() + " now"), 1u) << logs.text();
    EXPECT_NE(logs.text().find(down), std::string::npos) << logs.text();
}

// A 5xx moves on too, with the same batch_id: a store shared by the replicas keeps it once.
// Every server failing in a row waits the backoff, then the round starts again.
TEST(TrickleSink, ServerErrorsMoveOnWithTheSameBatchIdAndARoundOfFailuresWaits) {
    pc::test::TempDir dir;
    FakePcd first;
    FakePcd second;
    first.set_default(Answer::server_error);
    second.script({Answer::server_error});
    auto o = options_for(first, dir);
    o.server_url = first.url() + "," + second.url();
    pc::trickle::TrickleSink sink(o);
    for (int i = 0; i < 3; ++i) sink.write(make_tick(i));
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_TRUE(first.stored().empty());
    EXPECT_EQ(second.stored(), ticks_records(0, 3));
    const auto to_first = first.received();
    const auto to_second = second.received();
    ASSERT_GE(to_first.size(), 2u);  // the round failed on both, then the first again
    ASSERT_GE(to_second.size(), 2u);
    EXPECT_EQ(to_first[0].batch_id, to_second[0].batch_id);
    EXPECT_EQ(to_second[0].status, 500);
    EXPECT_EQ(to_second.back().status, 200);
    EXPECT_GE(sink.stats().failed_attempts, 3u);
}

// Answers that are the server's own verdict (a refused key) are not a reason to move on.
TEST(TrickleSink, ARefusedKeyStaysWithTheServer) {
    pc::test::TempDir dir;
    FakePcd first;
    FakePcd second;
    first.set_default(Answer::unauthorized);
    auto o = options_for(first, dir);
    o.server_url = first.url() + "," + second.url();
    pc::trickle::TrickleSink sink(o);
    sink.write(make_tick(0));
    ASSERT_TRUE(eventually([&] { return first.received().size() >= 3; }));
    EXPECT_TRUE(second.received().empty());
    first.set_default(Answer::ok);
    EXPECT_EQ(sink.finish(10s), 0u);
    EXPECT_EQ(first.stored(), ticks_records(0, 1));
}
