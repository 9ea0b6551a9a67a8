#include "pc/server/connection_parker.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pc::server {
namespace {

using namespace std::chrono_literals;

// A connected socket pair: the parker owns one end (as a Connection), the test is the client.
struct Pair {
    std::shared_ptr<Connection> server;
    int client = -1;
    Pair() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        server = std::make_shared<Connection>(fds[0]);
        client = fds[1];
    }
    ~Pair() {
        if (client >= 0) ::close(client);
    }
    void send(const std::string& s) const {
        ASSERT_EQ(::write(client, s.data(), s.size()), static_cast<ssize_t>(s.size()));
    }
    // Everything the server end writes until it closes (bounded by `limit`).
    std::string read_until_closed(std::chrono::milliseconds limit = 5000ms) const {
        std::string out;
        timeval tv{static_cast<time_t>(limit.count() / 1000),
                   static_cast<suseconds_t>((limit.count() % 1000) * 1000)};
        ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[4096];
        ssize_t n;
        while ((n = ::read(client, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
        return out;
    }
};

struct Dispatched {
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::shared_ptr<Connection>> got;
    ConnectionParker::Dispatch sink() {
        return [this](std::shared_ptr<Connection> c) {
            std::lock_guard lock(m);
            got.push_back(std::move(c));
            cv.notify_all();
        };
    }
    bool wait_for(std::size_t n) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, 5s, [&] { return got.size() >= n; });
    }
};

ParkingLimits fast_limits() {
    ParkingLimits l;
    l.idle_timeout = 300ms;
    l.head_timeout = 300ms;
    l.framing = {1024, 100};
    return l;
}

TEST(ConnectionParker, AWholeRequestIsDispatchedWithItsBytes) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair p;
    int fd = p.server->fd();
    parker.park(p.server);
    p.server.reset();
    p.send("POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nab");
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(parker.parked(), 1u) << "the body is not complete yet";
    p.send("cdGET");
    ASSERT_TRUE(d.wait_for(1));
    EXPECT_EQ(d.got[0]->fd(), fd);
    EXPECT_EQ(d.got[0]->pending(), "POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdGET");
    EXPECT_EQ(parker.parked(), 0u);
}

TEST(ConnectionParker, IdleAndSlowConnectionsAreClosedAtTheirDeadline) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair idle, slow;
    parker.park(idle.server);
    parker.park(slow.server);
    idle.server.reset();
    slow.server.reset();
    slow.send("GET / HTTP/1.1\r\n");
    // Slow headers do not extend the deadline of a request that has begun.
    std::thread dribble([&] {
        for (int i = 0; i < 8; ++i) {
            std::this_thread::sleep_for(60ms);
            [[maybe_unused]] auto n = ::send(slow.client, "X", 1, MSG_NOSIGNAL);
        }
    });
    EXPECT_EQ(idle.read_until_closed(), "") << "an idle connection is closed silently";
    EXPECT_NE(slow.read_until_closed().find("408 Request Timeout"), std::string::npos);
    dribble.join();
    EXPECT_TRUE(d.got.empty());
    EXPECT_EQ(parker.parked(), 0u);
}

TEST(ConnectionParker, OversizedHeadsAreRefusedWith431) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair p;
    parker.park(p.server);
    p.server.reset();
    p.send("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a'));
    EXPECT_NE(p.read_until_closed().find("431"), std::string::npos);
    EXPECT_TRUE(d.got.empty());
}

TEST(ConnectionParker, RefusalsAreWholeResponsesAndClose) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair p;
    parker.park(p.server);
    p.server.reset();
    p.send("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc");
    const std::string got = p.read_until_closed();
    const std::string body =
        "{\"error\":\"both Transfer-Encoding and Content-Length: ambiguous framing\"}";
    EXPECT_EQ(got,
              "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    EXPECT_TRUE(d.got.empty()) << "no worker saw it";
}

TEST(ConnectionParker, ContinueIsAnsweredOnceAndTheBodyWaitedFor) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair p;
    parker.park(p.server);
    p.server.reset();
    p.send("POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    char buf[64] = {};
    timeval tv{2, 0};
    ::setsockopt(p.client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto n = ::read(p.client, buf, sizeof buf);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))),
              "HTTP/1.1 100 Continue\r\n\r\n");
    p.send("ab");
    p.send("cd");
    ASSERT_TRUE(d.wait_for(1));
    EXPECT_EQ(d.got[0]->pending().substr(d.got[0]->pending().size() - 4), "abcd");
}

TEST(ConnectionParker, BodiesPastTheBufferBudgetWaitOutside) {
    Dispatched d;
    ParkingLimits limits = fast_limits();
    limits.buffer_budget = 64;
    ConnectionParker parker(limits, d.sink());
    Pair p;
    parker.park(p.server);
    p.server.reset();
    p.send("POST /x HTTP/1.1\r\nContent-Length: 90\r\n\r\n" + std::string(40, 'a'));
    const std::string got = p.read_until_closed();
    EXPECT_EQ(got.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << got;
    EXPECT_NE(got.find("\r\nRetry-After: 1\r\n"), std::string::npos) << got;
    EXPECT_TRUE(d.got.empty());
}

TEST(ConnectionParker, ClientThatHangsUpIsForgotten) {
    Dispatched d;
    ConnectionParker parker(fast_limits(), d.sink());
    Pair p;
    parker.park(p.server);
    p.server.reset();
    p.send("GET / HTT");
    ::shutdown(p.client, SHUT_WR);
    for (int i = 0; i < 100 && parker.parked() != 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(parker.parked(), 0u);
    EXPECT_TRUE(d.got.empty());
}

TEST(ConnectionParker, StopClosesIdleKeepAliveConnectionsAtOnce) {
    Dispatched d;
    ParkingLimits limits = fast_limits();
    limits.idle_timeout = limits.head_timeout = 5s;  // "at once" is not their deadline
    ConnectionParker parker(limits, d.sink());
    std::vector<std::unique_ptr<Pair>> pairs;
    for (int i = 0; i < 20; ++i) {
        pairs.push_back(std::make_unique<Pair>());
        pairs.back()->server->requests_served = 1;  // between two requests
        parker.park(pairs.back()->server);
        pairs.back()->server.reset();
    }
    EXPECT_EQ(parker.parked(), 20u);
    const auto started = std::chrono::steady_clock::now();
    parker.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_EQ(parker.parked(), 0u);
    for (auto& p : pairs) EXPECT_EQ(p->read_until_closed(1000ms), "");
    Pair late;
    parker.park(late.server);
    late.server.reset();
    EXPECT_EQ(parker.parked(), 0u) << "after stop a parked connection is closed at once";
    EXPECT_EQ(late.read_until_closed(1000ms), "");
    EXPECT_TRUE(d.got.empty());
}

TEST(ConnectionParker, StopWaitsForARequestStillArriving) {
    Dispatched d;
    ParkingLimits limits = fast_limits();
    limits.idle_timeout = limits.head_timeout = 5s;
    ConnectionParker parker(limits, d.sink());
    Pair slow, fresh;
    slow.server->requests_served = 1;  // a keep-alive connection's second request
    parker.park(slow.server);
    parker.park(fresh.server);  // connected, first request not sent yet
    slow.server.reset();
    fresh.server.reset();
    slow.send("POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nab");
    std::this_thread::sleep_for(50ms);
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        parker.stop();
        stopped = true;
    });
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(stopped) << "stop() did not wait for the request";
    slow.send("cd");
    fresh.send("GET / HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(d.wait_for(2));
    stopper.join();
    std::vector<std::string> requests;
    for (const auto& c : d.got) requests.emplace_back(c->pending());
    std::sort(requests.begin(), requests.end());
    EXPECT_EQ(requests[0], "GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(requests[1], "POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd");
    EXPECT_EQ(parker.parked(), 0u);
}

TEST(ConnectionParker, StopIsBoundedByTheHeadTimeout) {
    Dispatched d;
    ParkingLimits limits = fast_limits();
    limits.idle_timeout = 5s;
    limits.head_timeout = 400ms;
    ConnectionParker parker(limits, d.sink());
    Pair drip;
    parker.park(drip.server);
    drip.server.reset();
    drip.send("POST /x HTTP/1.1\r\nContent-Length: 90\r\n\r\n");
    // A body that keeps arriving, byte by byte, never completes; stop still ends.
    std::atomic<bool> done{false};
    std::thread dribble([&] {
        for (int i = 0; i < 80 && !done; ++i) {
            std::this_thread::sleep_for(50ms);
            [[maybe_unused]] auto n = ::send(drip.client, "x", 1, MSG_NOSIGNAL);
        }
    });
    const auto started = std::chrono::steady_clock::now();
    parker.stop();
    const auto took = std::chrono::steady_clock::now() - started;
    done = true;
    dribble.join();
    EXPECT_LT(took, 2s);
    EXPECT_NE(drip.read_until_closed(1000ms).find("408 Request Timeout"), std::string::npos);
    EXPECT_TRUE(d.got.empty());
}

}  // namespace
}  // namespace pc::server
