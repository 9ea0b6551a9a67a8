// pcc trickling to a server that accepts connections and never answers, and to one that
// answers slowly: pcc times out, retries, keeps sampling on schedule, and every tick arrives.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;
namespace test = pc::test;

std::string gunzip(const std::string& in) {
    z_stream zs{};
    inflateInit2(&zs, 15 + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::string out;
    char buf[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}

// A stand-in for pcd on 127.0.0.1: the first `hang_requests` requests are never answered
// (the connection is held open), the others are answered 200 after `delay`.
class FakeServer {
public:
    FakeServer(int hang_requests, std::chrono::milliseconds delay)
        : hang_requests_(hang_requests), delay_(delay) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(listen_fd_, 64);
        socklen_t len = sizeof addr;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~FakeServer() {
        stop_ = true;
        ::shutdown(listen_fd_, SHUT_RDWR);
        ::close(listen_fd_);
        acceptor_.join();
        std::lock_guard lock(mu_);
        for (auto& t : workers_) t.join();
    }

    int port = 0;
    std::atomic<int> requests{0};
    std::atomic<int> hung{0};

    // Timestamps of every record of every answered request, with their subsystems.
    std::multiset<std::pair<std::int64_t, std::string>> received() {
        std::lock_guard lock(mu_);
        return received_;
    }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            std::lock_guard lock(mu_);
            workers_.emplace_back([this, fd] { serve(fd); });
        }
    }

    // Reads one request (headers + Content-Length body); false when the peer went away.
    bool read_request(int fd, std::string& buffer, std::string& headers, std::string& body) {
        char chunk[65536];
        for (;;) {
            auto end = buffer.find("\r\n\r\n");
            if (end != std::string::npos) {
                headers = buffer.substr(0, end + 4);
                std::size_t length = 0;
                for (const char* name : {"Content-Length: ", "content-length: "}) {
                    auto p = headers.find(name);
                    if (p != std::string::npos)
                        length = std::strtoul(headers.c_str() + p + 16, nullptr, 10);
                }
                if (buffer.size() >= end + 4 + length) {
                    body = buffer.substr(end + 4, length);
                    buffer.erase(0, end + 4 + length);
                    return true;
                }
            }
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) {
                if (stop_) return false;
                continue;
            }
            auto n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    void serve(int fd) {
        std::string buffer, headers, body;
        while (!stop_ && read_request(fd, buffer, headers, body)) {
            int n = ++requests;
            if (n <= hang_requests_) {
                ++hung;
                // Never answer: hold the connection until the client gives up or we stop.
                char c;
                while (!stop_) {
                    pollfd p{fd, POLLIN, 0};
                    if (::poll(&p, 1, 100) > 0 && ::recv(fd, &c, 1, MSG_PEEK) <= 0) break;
                }
                break;
            }
            std::this_thread::sleep_for(delay_);
            bool gz = headers.find("Content-Encoding: gzip") != std::string::npos ||
                      headers.find("content-encoding: gzip") != std::string::npos;
            auto decoded = pc::api::decode_trickle_request(gz ? gunzip(body) : body);
            if (!decoded.request) {
                send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}");
                continue;
            }
            {
                std::lock_guard lock(mu_);
                for (const auto& r : decoded.request->measurements) {
                    received_.insert({r.timestamp, r.subsystem});
                }
            }
            send_all(
                fd,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        }
        ::close(fd);
    }

    int hang_requests_;
    std::chrono::milliseconds delay_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread acceptor_;
    std::mutex mu_;
    std::vector<std::thread> workers_;
    std::multiset<std::pair<std::int64_t, std::string>> received_;
};

// Runs pcc in trickle mode against `server` for `ticks` seconds at 1 s and checks that every
// tick of the schedule arrived exactly once.
void trickle_through(FakeServer& server, int ticks, const std::string& what) {
    test::TempDir dir;
    std::map<std::string, std::string> env{
        {"PCC_MODE", "trickle"},
        {"PCC_SERVER_URL", "http://127.0.0.1:" + std::to_string(server.port)},
        {"PCC_APIKEY", "hang-test-key-0123456789"},
        {"PCC_IDENTIFIER", "hang-host"},
        {"PCC_DURATION", std::to_string(ticks) + "s"},
        {"PCC_FREQUENCY", "1s"},
        {"PCC_PROCROOT", (test::source_dir() / "testdata" / "procroot-vm2cpu").string()},
        {"PCC_COLLECTION", (dir / "pcc.json").string()},
        {"PCC_SPOOL", (dir / "spool").string()},
        {"PCC_DRAIN_TIMEOUT", "40s"},
        {"PCC_LOGLEVEL", "debug"}};
    auto r = test::run({(test::bin_dir() / "pcc").string()}, env, std::chrono::seconds(ticks + 60));
    ASSERT_FALSE(r.timed_out) << what << ": pcc did not finish\n" << r.err;
    EXPECT_EQ(r.exit_code, 0) << what << ":\n" << r.err;

    auto got = server.received();
    std::map<std::int64_t, std::multiset<std::string>> by_tick;
    for (const auto& [ts, sub] : got) by_tick[ts].insert(sub);
    // On schedule: one tick per second, none missing, none doubled.
    ASSERT_EQ(by_tick.size(), static_cast<std::size_t>(ticks)) << what << ":\n" << r.err;
    EXPECT_EQ(by_tick.rbegin()->first - by_tick.begin()->first, ticks - 1) << what;
    auto first = by_tick.begin()->second;
    first.erase("/proc/cpuinfo");
    for (auto& [ts, subs] : by_tick) {
        subs.erase("/proc/cpuinfo");
        EXPECT_EQ(subs, first) << what << ": tick " << ts << " incomplete or doubled";
        EXPECT_EQ(std::set<std::string>(subs.begin(), subs.end()).size(), subs.size())
            << what << ": tick " << ts << " stored twice";
    }
    std::cout << "[fault] " << what << ": " << server.requests << " requests (" << server.hung
              << " never answered), " << by_tick.size() << " ticks delivered exactly once\n";
}

TEST(FaultServerHang, NeverAnsweringServerIsTimedOutAndRetried) {
    FakeServer server(/*hang_requests=*/2, /*delay=*/0ms);
    trickle_through(server, 12, "server that never answers twice");
    EXPECT_GE(server.hung.load(), 2);
    EXPECT_GT(server.requests.load(), 2) << "pcc did not retry after the timeouts";
}

TEST(FaultServerHang, SlowServerStillGetsEveryTick) {
    // Slower than the sampling interval, faster than pcc's 5 s request timeout.
    FakeServer server(/*hang_requests=*/0, /*delay=*/2500ms);
    trickle_through(server, 10, "server answering after 2.5 s");
}

}  // namespace
