// HttpClient against an httplib server on 127.0.0.1 (plain and TLS with a certificate made by
// the openssl CLI), over each transport: httplib's (pcctl) and the lean one (pcc: our own
// HTTP/1.1 client for http, the dlopen'ed TLS module for https).
#include "pc/client/http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "pc/client/gzip.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"
#include "pc/core/error.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using pc::client::HttpClient;
using pc::client::HttpClientOptions;
using pc::client::parse_base_url;

namespace {

// Runs a server on an ephemeral port for the lifetime of the object.
class TestServer {
public:
    explicit TestServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
        port_ = server_->bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        for (int i = 0; i < 500 && !server_->is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ~TestServer() {
        server_->stop();
        thread_.join();
    }
    int port() const { return port_; }
    httplib::Server& server() { return *server_; }

private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

HttpClientOptions fast() {
    HttpClientOptions options;
    options.connect_timeout = 2000ms;
    options.read_timeout = 2000ms;
    options.write_timeout = 2000ms;
    return options;
}

// The openssl CLI from PATH (Child/run take an absolute path).
std::string openssl_path() {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/bin:/bin";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::filesystem::path candidate =
            std::filesystem::path(rest.substr(0, colon)) / "openssl";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    }
    return "openssl";
}

struct Cert {
    std::filesystem::path cert, key;
};

// A self-signed certificate for 127.0.0.1 made with the openssl CLI.
std::optional<Cert> make_cert(const pc::test::TempDir& dir) {
    Cert c{dir / "cert.pem", dir / "key.pem"};
    const auto r =
        pc::test::run({openssl_path(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                       c.key.string(), "-out", c.cert.string(), "-days", "2", "-subj",
                       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                      {}, 30s);
    if (r.exit_code != 0) return std::nullopt;
    return c;
}

enum class Transport { httplib, lean };

class HttpClientTest : public ::testing::TestWithParam<Transport> {
protected:
    std::unique_ptr<HttpClient> make_client(const pc::client::BaseUrl& base,
                                            const HttpClientOptions& options) const {
        if (GetParam() == Transport::httplib) return std::make_unique<HttpClient>(base, options);
        return std::make_unique<HttpClient>(base, options,
                                            pc::client::make_lean_transport(base, options));
    }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Transports, HttpClientTest,
                         ::testing::Values(Transport::httplib, Transport::lean),
                         [](const auto& param_info) {
                             return param_info.param == Transport::httplib ? "httplib" : "lean";
                         });

TEST_P(HttpClientTest, GetAndPostWithHeadersAndPrefix) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/pre/v1/version", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content("{\"version\":\"x\",\"q\":\"" + req.get_param_value("a") + "\"}",
                        "application/json");
    });
    server->Post("/pre/v1/echo", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 201;
        res.set_header("X-Seen-Key", req.get_header_value("apikey"));
        res.set_header("X-Seen-Encoding", req.get_header_value("Content-Encoding"));
        res.set_content(req.body, "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner = make_client(
        parse_base_url("http://127.0.0.1:" + std::to_string(ts.port()) + "/pre"), fast());
    auto& client = *client_owner;

    const auto got = client.get("/v1/version?a=1");
    ASSERT_TRUE(got.has_response()) << got.error;
    EXPECT_EQ(got.status(), 200);
    EXPECT_EQ(got.response->body, "{\"version\":\"x\",\"q\":\"1\"}");
    EXPECT_EQ(got.response->header("content-type").value_or(""), "application/json");

    const auto posted = client.post("/v1/echo", "hello", "text/plain", {{"apikey", "k1234567"}});
    ASSERT_TRUE(posted.has_response()) << posted.error;
    EXPECT_EQ(posted.status(), 201);
    EXPECT_EQ(posted.response->body, "hello");
    EXPECT_EQ(posted.response->header("X-Seen-Key").value_or(""), "k1234567");
    EXPECT_EQ(posted.response->header("X-Seen-Encoding").value_or(""), "");
}

TEST_P(HttpClientTest, GzipBodyArrivesIntact) {
    auto server = std::make_unique<httplib::Server>();
    // httplib's server inflates gzip bodies itself; the header shows what was on the wire.
    server->Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Seen-Encoding", req.get_header_value("Content-Encoding"));
        res.set_content(req.body, "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    auto& client = *client_owner;
    std::string body;
    for (int i = 0; i < 2000; ++i)
        body += "{\"timestamp\":" + std::to_string(i) + ",\"x\":\"cpu  1 2 3\"}\n";
    const auto r = client.post("/echo", body, "application/json", {}, true);
    ASSERT_TRUE(r.has_response()) << r.error;
    EXPECT_EQ(r.response->header("X-Seen-Encoding").value_or(""), "gzip");
    EXPECT_EQ(r.response->body, body);
    EXPECT_LT(pc::client::gzip_compress(body).size(), body.size() / 4);
}

TEST_P(HttpClientTest, KeepsOneConnectionAlive) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/peer", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(std::to_string(req.remote_port), "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    auto& client = *client_owner;
    const auto a = client.get("/peer");
    const auto b = client.get("/peer");
    ASSERT_TRUE(a.has_response() && b.has_response());
    EXPECT_EQ(a.response->body, b.response->body) << "the second request used a new connection";
}

TEST_P(HttpClientTest, StreamingGet) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(300000, 'x'), "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    auto& client = *client_owner;
    std::size_t total = 0;
    const auto r = client.get_streaming("/big", {}, [&](std::string_view data) {
        total += data.size();
        return true;
    });
    ASSERT_TRUE(r.has_response()) << r.error;
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(total, 300000u);
    EXPECT_TRUE(r.response->body.empty());
}

// An error answer's body is the server's message, never data (pcctl fetch writes data to a file).
TEST_P(HttpClientTest, StreamingGetKeepsErrorBodyOutOfTheData) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/missing", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content("{\"error\":\"no such collection\"}", "application/json");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    std::string data;
    const auto r = client_owner->get_streaming("/missing", {}, [&](std::string_view chunk) {
        data += chunk;
        return true;
    });
    ASSERT_TRUE(r.has_response()) << r.error;
    EXPECT_EQ(r.status(), 404);
    EXPECT_EQ(data, "");
    EXPECT_EQ(r.response->body, "{\"error\":\"no such collection\"}");
}

TEST_P(HttpClientTest, StreamingGetAbortedByTheCallback) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(300000, 'x'), "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    const auto r = client_owner->get_streaming("/big", {}, [](std::string_view) { return false; });
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("canceled"), std::string::npos) << r.error;
    // The connection was abandoned mid-body; the next request gets a fresh one.
    const auto again = client_owner->get("/big");
    ASSERT_TRUE(again.has_response()) << again.error;
    EXPECT_EQ(again.response->body.size(), 300000u);
}

TEST_P(HttpClientTest, ChunkedResponses) {
    auto server = std::make_unique<httplib::Server>();
    server->Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider(
            "text/plain", [](std::size_t offset, httplib::DataSink& sink) {
                if (offset < 5000) {
                    const std::string piece(1000, static_cast<char>('a' + offset / 1000));
                    sink.write(piece.data(), piece.size());
                } else {
                    sink.done();
                }
                return true;
            });
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    for (int i = 0; i < 2; ++i) {  // twice: the connection stays usable after a chunked body
        const auto r = client_owner->get("/chunked");
        ASSERT_TRUE(r.has_response()) << r.error;
        EXPECT_EQ(r.response->body, std::string(1000, 'a') + std::string(1000, 'b') +
                                        std::string(1000, 'c') + std::string(1000, 'd') +
                                        std::string(1000, 'e'));
    }
}

// The server closes kept-alive connections after each answer: every request still succeeds.
TEST_P(HttpClientTest, ReconnectsWhenTheServerClosedTheConnection) {
    auto server = std::make_unique<httplib::Server>();
    server->set_keep_alive_max_count(1);
    int count = 0;
    server->Post("/count", [&](const httplib::Request& req, httplib::Response& res) {
        ++count;
        res.set_content(req.body, "text/plain");
    });
    TestServer ts(std::move(server));
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), fast());
    for (int i = 0; i < 4; ++i) {
        const auto r = client_owner->post("/count", std::to_string(i), "text/plain");
        ASSERT_TRUE(r.has_response()) << r.error;
        EXPECT_EQ(r.response->body, std::to_string(i));
    }
    EXPECT_EQ(count, 4);
}

TEST_P(HttpClientTest, ConnectionRefusedIsAnErrorWithoutSecrets) {
    const int port = pc::test::pick_free_port();
    auto client_owner =
        make_client(parse_base_url("http://127.0.0.1:" + std::to_string(port)), fast());
    auto& client = *client_owner;
    const auto r =
        client.post("/v1/trickle", "{}", "application/json", {{"apikey", "very-secret-key-123"}});
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("cannot connect"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find(std::to_string(port)), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("very-secret-key-123"), std::string::npos) << r.error;
}

TEST_P(HttpClientTest, ReadTimeoutOnHangingServer) {
    std::atomic<bool> release{false};
    auto server = std::make_unique<httplib::Server>();
    server->Get("/hang", [&](const httplib::Request&, httplib::Response& res) {
        for (int i = 0; i < 300 && !release; ++i) std::this_thread::sleep_for(10ms);
        res.set_content("late", "text/plain");
    });
    TestServer ts(std::move(server));
    auto options = fast();
    options.read_timeout = 200ms;
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), options);
    auto& client = *client_owner;
    const auto r = client.get("/hang");
    release = true;
    EXPECT_FALSE(r.has_response());
    EXPECT_FALSE(r.error.empty());
}

TEST_P(HttpClientTest, StopAbortsRequestFromAnotherThread) {
    std::atomic<bool> release{false};
    auto server = std::make_unique<httplib::Server>();
    server->Get("/hang", [&](const httplib::Request&, httplib::Response& res) {
        for (int i = 0; i < 500 && !release; ++i) std::this_thread::sleep_for(10ms);
        res.set_content("late", "text/plain");
    });
    TestServer ts(std::move(server));
    auto options = fast();
    options.read_timeout = 30000ms;
    auto client_owner =
        make_client(parse_base_url("127.0.0.1:" + std::to_string(ts.port())), options);
    auto& client = *client_owner;
    std::thread stopper([&] {
        std::this_thread::sleep_for(200ms);
        client.stop();
    });
    const auto r = client.get("/hang");
    stopper.join();
    release = true;
    EXPECT_FALSE(r.has_response());
}

TEST_P(HttpClientTest, MissingCaFileIsAUserError) {
    pc::test::TempDir dir;
    HttpClientOptions options;
    options.ca_file = (dir / "nope.pem").string();
    EXPECT_THROW(make_client(parse_base_url("https://127.0.0.1:1"), options), pc::core::UserError);
}

TEST_P(HttpClientTest, TlsVerifiesAgainstTheGivenCa) {
    pc::test::TempDir dir;
    const auto cert = make_cert(dir);
    if (!cert) GTEST_SKIP() << "openssl CLI not available (scripts/setup installs it)";
    auto server = std::make_unique<httplib::SSLServer>(cert->cert.c_str(), cert->key.c_str());
    ASSERT_TRUE(server->is_valid());
    server->Get("/v1/ping", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{}", "application/json");
    });
    TestServer ts(std::move(server));
    const auto url = parse_base_url("https://127.0.0.1:" + std::to_string(ts.port()));

    // Trusted through the CA file: works.
    auto options = fast();
    options.ca_file = cert->cert.string();
    auto trusted_owner = make_client(url, options);
    auto& trusted = *trusted_owner;
    const auto ok = trusted.get("/v1/ping");
    ASSERT_TRUE(ok.has_response()) << ok.error;
    EXPECT_EQ(ok.status(), 200);

    // Not in the system store: refused.
    auto untrusted_owner = make_client(url, fast());
    auto& untrusted = *untrusted_owner;
    const auto refused = untrusted.get("/v1/ping");
    EXPECT_FALSE(refused.has_response());
    EXPECT_NE(refused.error.find("certificate"), std::string::npos) << refused.error;

    // Plain http to a TLS port gets no valid response.
    auto plain_owner =
        make_client(parse_base_url("http://127.0.0.1:" + std::to_string(ts.port())), fast());
    auto& plain = *plain_owner;
    const auto mixed = plain.get("/v1/ping");
    EXPECT_FALSE(mixed.has_response() && mixed.status() == 200);
}

TEST_P(HttpClientTest, TlsRejectsWrongHostName) {
    pc::test::TempDir dir;
    Cert c{dir / "cert.pem", dir / "key.pem"};
    const auto r =
        pc::test::run({openssl_path(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                       c.key.string(), "-out", c.cert.string(), "-days", "2", "-subj",
                       "/CN=other.example", "-addext", "subjectAltName=DNS:other.example"},
                      {}, 30s);
    if (r.exit_code != 0) GTEST_SKIP() << "openssl CLI not available";
    auto server = std::make_unique<httplib::SSLServer>(c.cert.c_str(), c.key.c_str());
    server->Get("/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{}", "text/plain");
    });
    TestServer ts(std::move(server));
    auto options = fast();
    options.ca_file = c.cert.string();
    auto client_owner =
        make_client(parse_base_url("https://127.0.0.1:" + std::to_string(ts.port())), options);
    auto& client = *client_owner;
    const auto res = client.get("/");
    EXPECT_FALSE(res.has_response()) << "certificate for another host accepted";
}

// Responses our own HTTP/1.1 client must frame without httplib's server: a body that ends when
// the server closes, and an interim 100 Continue.
TEST(PlainTransport, BodyUntilCloseAndInterimAnswers) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const int port = ntohs(address.sin_port);
    std::string seen_request;
    std::thread server([&] {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) return;
        char buffer[4096];
        while (seen_request.find("\r\n\r\nbody") == std::string::npos) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) break;
            seen_request.append(buffer, static_cast<std::size_t>(n));
        }
        const std::string answer =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nX-A:  spaced \r\n\r\nuntil close";
        (void)::write(fd, answer.data(), answer.size());
        ::close(fd);
    });
    HttpClient client(parse_base_url("127.0.0.1:" + std::to_string(port)), fast(),
                      pc::client::make_plain_transport(
                          parse_base_url("127.0.0.1:" + std::to_string(port)), fast()));
    const auto r = client.post("/p?q=1", "body", "text/plain", {{"apikey", "k-123456789"}});
    server.join();
    ::close(listener);
    ASSERT_TRUE(r.has_response()) << r.error;
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.response->header("x-a").value_or(""), "spaced");
    EXPECT_EQ(r.response->body, "until close");
    EXPECT_EQ(seen_request.rfind("POST /p?q=1 HTTP/1.1\r\n", 0), 0u) << seen_request;
    EXPECT_NE(seen_request.find("\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n"),
              std::string::npos);
    EXPECT_NE(seen_request.find("\r\napikey: k-123456789\r\n"), std::string::npos);
    EXPECT_NE(seen_request.find("\r\nContent-Length: 4\r\n"), std::string::npos);
    EXPECT_NE(seen_request.find("\r\nContent-Type: text/plain\r\n"), std::string::npos);
}

TEST(TlsModule, BuiltWhereTheLeanTransportLooksForIt) {
    const auto path = pc::client::tls_module_path();
    EXPECT_EQ(path.filename(), "libpc_tls.so");
    EXPECT_TRUE(std::filesystem::exists(path)) << path;
}

namespace {

// A raw server for hostile answers (issue 19, item 2): it reads a request head, sends `head`,
// then one byte every 20 ms (or 64 KiB at a time when `flood`) until the client goes away.
class HostileServer {
public:
    HostileServer(std::string head, bool flood) : head_(std::move(head)), flood_(flood) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 4);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~HostileServer() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
    }
    std::string url() const { return "127.0.0.1:" + std::to_string(port_); }

private:
    void serve() {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) break;
            request.append(buffer, static_cast<std::size_t>(n));
        }
        bool alive = ::send(fd, head_.data(), head_.size(), MSG_NOSIGNAL) > 0;
        const std::string flood(64 * 1024, 'x');
        while (alive && !stop_) {
            alive = flood_ ? ::send(fd, flood.data(), flood.size(), MSG_NOSIGNAL) > 0
                           : ::send(fd, "x", 1, MSG_NOSIGNAL) > 0;
            if (!flood_) std::this_thread::sleep_for(20ms);
        }
        ::close(fd);
    }

    std::string head_;
    bool flood_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace

TEST_P(HttpClientTest, AnnouncedBodyPastTheLimitIsRefusedAtOnce) {
    HostileServer server("HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n", false);
    auto options = fast();
    options.max_body = 64 * 1024;
    auto client = make_client(parse_base_url(server.url()), options);
    const auto r = client->post("/v1/trickle", "{}", "application/json");
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("larger than 65536 bytes"), std::string::npos) << r.error;
}

TEST_P(HttpClientTest, BodyPastTheLimitIsRefusedWhileArriving) {
    HostileServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", true);
    auto options = fast();
    options.max_body = 64 * 1024;
    options.deadline = 60s;  // the limit must act, not the deadline
    auto client = make_client(parse_base_url(server.url()), options);
    const auto r = client->get("/v1/machines");
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("larger than 65536 bytes"), std::string::npos) << r.error;
}

TEST_P(HttpClientTest, TricklingServerMeetsTheWholeRequestDeadline) {
    HostileServer server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", false);
    auto options = fast();  // 2 s per read: each byte (every 20 ms) would reset it
    options.deadline = 300ms;
    auto client = make_client(parse_base_url(server.url()), options);
    const auto start = std::chrono::steady_clock::now();
    const auto r = client->get("/v1/version");
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("within 300 ms (the whole request's deadline)"), std::string::npos)
        << r.error;
    EXPECT_LT(took, 10s) << "not bounded by the deadline";
}

TEST(HttpClientOptions, WholeRequestLimitDefaultsToTheSumOfTheTimeouts) {
    HttpClientOptions options;
    options.connect_timeout = 1s;
    options.write_timeout = 2s;
    options.read_timeout = 3s;
    EXPECT_EQ(pc::client::whole_request_limit(options), 6s);
    options.deadline = 500ms;
    EXPECT_EQ(pc::client::whole_request_limit(options), 500ms);
}
