// cpp-httplib's client doing one exchange at a time (httplib_exchange.hpp): pcctl's transport
// and, in libpc_tls.so, pcc's for https, both through the C entry points of tls_module.cpp.
#include "pc/client/httplib_exchange.hpp"

#include <httplib.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "pc/core/error.hpp"

namespace pc::client {

namespace {

pc_tls_status status_of(httplib::Error error) {
    switch (error) {
        case httplib::Error::Connection:
            return PC_TLS_E_CONNECT;
        case httplib::Error::ConnectionTimeout:
            return PC_TLS_E_CONNECT_TIMEOUT;
        case httplib::Error::Read:
            return PC_TLS_E_READ;
        case httplib::Error::Write:
            return PC_TLS_E_WRITE;
        case httplib::Error::SSLConnection:
            return PC_TLS_E_HANDSHAKE;
        case httplib::Error::SSLLoadingCerts:
            return PC_TLS_E_CA_LOAD;
        case httplib::Error::SSLServerVerification:
            return PC_TLS_E_VERIFY;
        case httplib::Error::Canceled:
            return PC_TLS_E_CANCELED;
        case httplib::Error::Compression:
            return PC_TLS_E_DECOMPRESS;
        default:
            return PC_TLS_E_OTHER;
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

class Exchange final : public HttplibExchange {
public:
    Exchange(const BaseUrl& base, const HttpClientOptions& options)
        : limit_(whole_request_limit(options)),
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
        if (base.https()) {
            client_.enable_server_certificate_verification(options.verify_tls);
            if (!options.ca_file.empty()) {
                if (::access(options.ca_file.c_str(), R_OK) != 0)
                    throw core::UserError("CA file " + options.ca_file +
                                          " cannot be read: " + core::errno_text(errno));
                client_.set_ca_cert_path(options.ca_file);
            }
        }
    }

    ExchangeOutcome send(const HttpRequest& request) override {
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
        ExchangeOutcome out;
        if (too_large) {
            out.status = PC_TLS_E_TOO_LARGE;
        } else if (!result && expired) {
            out.status = PC_TLS_E_DEADLINE;
        } else if (!result) {
            out.status = status_of(result.error());
            if (out.status == PC_TLS_E_OTHER) out.detail = httplib::to_string(result.error());
        } else {
            out.response.status = result->status;
            out.response.body = result->body.empty() ? std::move(body) : std::move(result->body);
            for (const auto& [key, value] : result->headers)
                out.response.headers.emplace_back(key, value);
        }
        return out;
    }

    void stop() override { client_.stop(); }

private:
    std::chrono::milliseconds limit_;
    std::size_t max_body_;
    httplib::Client client_;
    DeadlineWatch watch_;  // after client_: stops it, so it goes first
};

}  // namespace

std::unique_ptr<HttplibExchange> make_httplib_exchange(const BaseUrl& base,
                                                       const HttpClientOptions& options) {
    return std::make_unique<Exchange>(base, options);
}

}  // namespace pc::client
