// pcd's connection front end against ambiguous, invalid and stalling request framing, on the
// real pcd over 127.0.0.1 (issue 19, items 1 and 7; issue 16, the front end's answers):
// - every refusal is a whole, exact response (status, headers, a body of exactly its
//   Content-Length) and then the connection is closed;
// - no request reaches a worker before its whole body has arrived, so clients without a key
//   that announce bodies and stall cannot delay anyone else.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;

constexpr std::size_t kMaxBody = 1 << 20;

struct ParsedResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string error;  // what is wrong with the bytes, empty when they are a valid response
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Strict: one status line, headers with CRLF, a Content-Length, and exactly that many bytes of
// body with nothing after them (the connection must close right after).
ParsedResponse parse_strictly(const std::string& raw) {
    ParsedResponse r;
    auto end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) {
        r.error = "not an HTTP/1.1 response: " + raw.substr(0, 80);
        return r;
    }
    r.status = std::atoi(raw.c_str() + 9);
    std::size_t pos = raw.find("\r\n") + 2;
    while (pos < end) {
        std::size_t eol = raw.find("\r\n", pos);
        std::string line = raw.substr(pos, eol - pos);
        pos = eol + 2;
        auto colon = line.find(": ");
        if (colon == std::string::npos) {
            r.error = "malformed header line: " + line;
            return r;
        }
        r.headers[lower(line.substr(0, colon))] = line.substr(colon + 2);
    }
    r.body = raw.substr(end + 4);
    auto cl = r.headers.find("content-length");
    if (cl == r.headers.end()) {
        r.error = "no Content-Length";
    } else if (std::to_string(r.body.size()) != cl->second) {
        r.error = "Content-Length " + cl->second + " but " + std::to_string(r.body.size()) +
                  " bytes of body";
    }
    return r;
}

// Sends `request`, reads until pcd closes the connection (bounded), and says whether it did.
struct Exchange {
    std::string response;
    bool closed = false;
};

Exchange send_and_read_to_close(int port, const std::string& request,
                                std::chrono::milliseconds timeout = 10s) {
    Exchange x;
    int fd = connect_local(port);
    if (fd < 0) return x;
    send_all(fd, request);
    auto deadline = Clock::now() + timeout;
    char buf[4096];
    while (Clock::now() < deadline) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) break;
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            x.closed = true;  // EOF, or a reset after the answer
            break;
        }
        x.response.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return x;
}

class HostileFraming : public ::testing::Test {
protected:
    void SetUp() override {
        pcd_ = std::make_unique<Pcd>(std::map<std::string, std::string>{
            {"PCD_MAXBODY", std::to_string(kMaxBody)}, {"PCD_THREADS", "2"}});
        ASSERT_TRUE(pcd_->start()) << "pcd did not start:\n" << pcd_->err_so_far();
    }

    std::string trickle_head(const std::string& extra_headers) const {
        return "POST /v1/trickle HTTP/1.1\r\nHost: x\r\napikey: " + pcd_->agent_key + "\r\n" +
               extra_headers + "\r\n";
    }

    std::unique_ptr<Pcd> pcd_;
};

TEST_F(HostileFraming, AmbiguousOrInvalidFramingIsRefusedExactlyAndClosed) {
    const std::string body = trickle_body("framing-host", make_tick(1700000000));
    const std::string len = std::to_string(body.size());
    struct Case {
        std::string name;
        std::string request;
        int status;
        std::string says;  // part of the error message
    };
    const std::vector<Case> cases = {
        {"length and chunked",
         trickle_head("Content-Length: " + len + "\r\nTransfer-Encoding: chunked\r\n") + body, 400,
         "ambiguous"},
        {"two different lengths",
         trickle_head("Content-Length: " + len + "\r\nContent-Length: 5\r\n") + body, 400,
         "conflicting"},
        {"xchunked with a length",
         trickle_head("Transfer-Encoding: xchunked\r\nContent-Length: " + len + "\r\n") + body, 400,
         "ambiguous"},
        {"chunked, identity with a length",
         trickle_head("Transfer-Encoding: chunked, identity\r\nContent-Length: " + len + "\r\n") +
             body,
         400, "ambiguous"},
        {"chunked, identity", trickle_head("Transfer-Encoding: chunked, identity\r\n"), 400,
         "does not end in chunked"},
        {"chunked ping without a key",
         "POST /v1/ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
         411, "send Content-Length"},
        {"negative length", "POST /v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400,
         "invalid Content-Length"},
        {"length that is not a number",
         "POST /v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n", 400,
         "invalid Content-Length"},
        {"unknown expectation",
         "POST /v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: wait\r\n\r\n{}", 417,
         "100-continue"},
        {"large body on a small route",
         "POST /v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n", 413,
         "for this route"},
        {"body over PCD_MAXBODY",
         trickle_head("Content-Length: " + std::to_string(kMaxBody + 1) + "\r\n"), 413,
         "limit of " + std::to_string(kMaxBody) + " bytes (PCD_MAXBODY)"},
        {"head over the limit",
         "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n",
         431, "larger than 64 KiB"},
    };
    for (const auto& c : cases) {
        auto start = Clock::now();
        Exchange x = send_and_read_to_close(pcd_->port, c.request);
        auto took = Clock::now() - start;
        ParsedResponse r = parse_strictly(x.response);
        EXPECT_EQ(r.error, "") << c.name;
        EXPECT_EQ(r.status, c.status) << c.name << ": " << x.response.substr(0, 300);
        EXPECT_EQ(r.headers["connection"], "close") << c.name;
        EXPECT_EQ(r.headers["content-type"], "application/json") << c.name;
        EXPECT_NE(r.body.find(c.says), std::string::npos) << c.name << ": " << r.body;
        EXPECT_TRUE(x.closed) << c.name << ": connection left open";
        EXPECT_LT(took, 5s) << c.name << ": refusal waited on the client";
    }
    EXPECT_FALSE(fs::exists(pcd_->file_for("framing-host"))) << "a refused request was stored";
    EXPECT_TRUE(pcd_->serves_ok("good-host", 1700000001));
}

TEST_F(HostileFraming, RepeatedEqualLengthAndContinueAreServed) {
    const std::string body = trickle_body("continue-host", make_tick(1700000100));
    const std::string len = std::to_string(body.size());
    // The same length twice is one length (RFC 9112 §6.3).
    Exchange twice = send_and_read_to_close(
        pcd_->port, trickle_head("Connection: close\r\nContent-Length: " + len +
                                 "\r\nContent-Length: " + len + "\r\n") +
                        body);
    EXPECT_EQ(status_of(twice.response), 200) << twice.response.substr(0, 300);

    // Expect: 100-continue: the front end says continue, then the body is served.
    const std::string body2 = trickle_body("continue-host", make_tick(1700000101));
    int fd = connect_local(pcd_->port);
    ASSERT_GE(fd, 0);
    send_all(fd, trickle_head("Connection: close\r\nExpect: 100-continue\r\nContent-Length: " +
                              std::to_string(body2.size()) + "\r\n"));
    std::string interim;
    ASSERT_TRUE(wait_until(
        [&] {
            char buf[256];
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) {
                auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n > 0) interim.append(buf, static_cast<std::size_t>(n));
            }
            return interim.find("\r\n\r\n") != std::string::npos;
        },
        5s, 10ms))
        << "no 100 Continue before the body";
    EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;
    send_all(fd, body2);
    std::string rest = read_response(fd, 10s, false);  // to the close: more than one answer
    ::close(fd);
    // httplib may add its own 100 Continue before the final answer (RFC 9110 §15.2 allows
    // several); the final one is the 200.
    auto final_at = rest.find("HTTP/1.1 200");
    EXPECT_NE(final_at, std::string::npos) << rest.substr(0, 300);
    auto stored = pc::test::read_file(pcd_->file_for("continue-host"));
    EXPECT_NE(stored.find("1700000100"), std::string::npos);
    EXPECT_NE(stored.find("1700000101"), std::string::npos);
}

// Issue 19, item 1: clients without a key announce bodies and then stall (or send a byte now
// and then). With 2 workers, every one of them used to be held; now they wait in the front end
// and a trickle is answered at once.
TEST_F(HostileFraming, StallingBodiesWithoutAKeyDoNotHoldWorkers) {
    constexpr int kStallers = 40;
    std::vector<int> fds;
    for (int i = 0; i < kStallers; ++i) {
        int fd = connect_local(pcd_->port);
        ASSERT_GE(fd, 0);
        const std::string head =
            i % 2 == 0 ? "POST /v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n{"
                       : "POST /v1/trickle HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n{";
        send_all(fd, head);
        fds.push_back(fd);
    }
    std::int64_t ts = 1700000200;
    for (int round = 0; round < 5; ++round) {
        for (int fd : fds) send_all(fd, " ");  // keep every stalled body alive
        auto start = Clock::now();
        EXPECT_TRUE(pcd_->serves_ok("busy-host", ts++)) << pcd_->err_so_far();
        EXPECT_LT(Clock::now() - start, 2s) << "a trickle waited behind stalled bodies";
    }
    for (int fd : fds) ::close(fd);
    EXPECT_TRUE(pcd_->running());
}

}  // namespace
