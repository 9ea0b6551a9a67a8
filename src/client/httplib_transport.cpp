// HttpTransport over cpp-httplib's client (http and https, OpenSSL). pcctl uses it directly;
// pcc loads it for https only, from the TLS module (tls_module.cpp).
#include <httplib.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "pc/client/http_transport.hpp"
#include "pc/core/error.hpp"

namespace pc::client {

namespace {

std::string describe(httplib::Error error, const BaseUrl& base, const std::string& ca_file) {
    const std::string origin = base.origin();
    switch (error) {
        case httplib::Error::Connection:
            return "cannot connect to " + origin + " (is the server running and reachable?)";
        case httplib::Error::ConnectionTimeout:
            return "timed out connecting to " + origin;
        case httplib::Error::Read:
            return "no complete response from " + origin + " (connection closed or read timed out)";
        case httplib::Error::Write:
            return "could not send the request to " + origin +
                   " (connection closed or write timed out)";
        case httplib::Error::SSLConnection:
            return "TLS handshake with " + origin + " failed";
        case httplib::Error::SSLLoadingCerts:
            return "cannot load CA certificates" +
                   (ca_file.empty() ? std::string() : " from " + ca_file);
        case httplib::Error::SSLServerVerification:
            return "the certificate of " + origin +
                   " failed verification (untrusted issuer or wrong host name; a private CA needs "
                   "a CA file)";
        case httplib::Error::Canceled:
            return "request to " + origin + " was canceled";
        case httplib::Error::Compression:
            return "response from " + origin + " could not be decompressed";
        default:
            return "request to " + origin + " failed (" + httplib::to_string(error) + ")";
    }
}

// httplib 0.11.4 has per-read timeouts only: a server that trickles its answer keeps a request
// alive for ever. One thread per transport stops the client when a request's deadline passes.
class DeadlineWatch {
public:
    using Clock = std::chrono::steady_clock;

    explicit DeadlineWatch(std::function<void()> on_expiry)
        : on_expiry_(std::move(on_expiry)), thread_([this] { run(); }) {}
    ~DeadlineWatch() {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    DeadlineWatch(const DeadlineWatch&) = delete;
    DeadlineWatch& operator=(const DeadlineWatch&) = delete;

    void arm(Clock::time_point deadline) {
        {
            std::lock_guard lock(mutex_);
            deadline_ = deadline;
            expired_ = false;
        }
        cv_.notify_all();
    }
    // Returns whether the deadline passed (and the request was stopped) before this call.
    bool disarm() {
        std::lock_guard lock(mutex_);
        deadline_.reset();
        return expired_;
    }

private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!quit_) {
            if (!deadline_) {
                cv_.wait(lock);
                continue;
            }
            const auto deadline = *deadline_;
            if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && deadline_ &&
                *deadline_ == deadline) {
                deadline_.reset();
                expired_ = true;
                lock.unlock();
                on_expiry_();
                lock.lock();
            }
        }
    }

    std::function<void()> on_expiry_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::optional<Clock::time_point> deadline_;
    bool expired_ = false;
    bool quit_ = false;
    std::thread thread_;  // last: starts once the members above exist
};

class HttplibTransport final : public HttpTransport {
public:
    HttplibTransport(const BaseUrl& base, const HttpClientOptions& options)
        : base_(base),
          ca_file_(options.ca_file),
          limit_(whole_request_limit(options)),
          max_body_(options.max_body),
          client_(base.origin()),
          watch_([this] { client_.stop(); }) {
        client_.set_keep_alive(true);
        client_.set_tcp_nodelay(true);
        client_.set_connection_timeout(options.connect_timeout);
        client_.set_read_timeout(options.read_timeout);
        client_.set_write_timeout(options.write_timeout);
        client_.set_follow_location(false);
        client_.set_compress(false);  // bodies are compressed by HttpClient, once, when asked
        if (base_.https()) {
            client_.enable_server_certificate_verification(options.verify_tls);
            if (!options.ca_file.empty()) {
                if (::access(options.ca_file.c_str(), R_OK) != 0)
                    throw core::UserError("CA file " + options.ca_file +
                                          " cannot be read: " + core::errno_text(errno));
                client_.set_ca_cert_path(options.ca_file);
            }
        }
    }

    HttpResult send(const HttpRequest& request) override {
        httplib::Request req;
        req.method = std::string(request.method);
        req.path = std::string(request.path);
        for (const auto& [key, value] : *request.headers) req.headers.emplace(key, value);
        if (request.method == "POST") {
            req.body = std::string(request.body);
            if (!request.content_type.empty())
                req.headers.emplace("Content-Type", std::string(request.content_type));
        }
        // A 2xx body goes to on_data when streaming; anything else is kept, up to max_body.
        bool streaming = false;
        bool too_large = false;
        std::string body;
        req.response_handler = [&](const httplib::Response& response) {
            streaming = request.on_data && response.status >= 200 && response.status < 300;
            if (streaming) watch_.disarm();  // bounded by read_timeout from here on
            if (!streaming && response.has_header("Content-Length") &&
                std::strtoull(response.get_header_value("Content-Length").c_str(), nullptr, 10) >
                    max_body_) {
                too_large = true;
                return false;
            }
            return true;
        };
        req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t,
                                   std::uint64_t) {
            if (streaming) return (*request.on_data)(std::string_view(data, length));
            if (body.size() + length > max_body_) {
                too_large = true;
                return false;
            }
            body.append(data, length);
            return true;
        };
        watch_.arm(DeadlineWatch::Clock::now() + limit_);
        auto result = client_.send(req);
        const bool expired = watch_.disarm() && !streaming;
        HttpResult out;
        if (too_large) {
            out.error = "the response from " + base_.origin() + " is larger than " +
                        std::to_string(max_body_) + " bytes: refused";
            return out;
        }
        if (!result && expired) {
            out.error = "no complete response from " + base_.origin() + " within " +
                        std::to_string(limit_.count()) + " ms (the whole request's deadline)";
            return out;
        }
        return convert(std::move(result), std::move(body));
    }

    void stop() override { client_.stop(); }

private:
    HttpResult convert(httplib::Result&& result, std::string error_body) {
        HttpResult out;
        if (!result) {
            out.error = describe(result.error(), base_, ca_file_);
            return out;
        }
        HttpResponse response;
        response.status = result->status;
        response.body = result->body.empty() ? std::move(error_body) : std::move(result->body);
        for (const auto& [key, value] : result->headers) response.headers.emplace_back(key, value);
        out.response = std::move(response);
        return out;
    }

    BaseUrl base_;
    std::string ca_file_;
    std::chrono::milliseconds limit_;
    std::size_t max_body_;
    httplib::Client client_;
    DeadlineWatch watch_;  // after client_: stops it, so it goes first
};

}  // namespace

std::unique_ptr<HttpTransport> make_httplib_transport(const BaseUrl& base,
                                                      const HttpClientOptions& options) {
    return std::make_unique<HttplibTransport>(base, options);
}

}  // namespace pc::client
