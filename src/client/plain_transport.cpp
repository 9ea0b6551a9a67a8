// A small HTTP/1.1 client on plain sockets: what pcc needs to post to pcd over http:// without
// loading httplib, OpenSSL, zlib and brotli. One keep-alive connection; responses framed by
// Content-Length, chunked transfer coding or connection close; interim 1xx answers skipped.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include "pc/client/http_transport.hpp"
#include "pc/core/strings.hpp"

namespace pc::client {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxHead = 64 * 1024;  // status line and headers of one response
constexpr auto kStopCheck = std::chrono::milliseconds(50);

enum class Failure {
    none,
    connect,
    connect_timeout,
    write,
    read,
    canceled,
    malformed,
    deadline,
    too_large
};

// True when the comma-separated header value lists `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (core::iequals(core::trim_blanks(value.substr(0, comma)), token)) return true;
        value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
    }
    return false;
}

class PlainTransport final : public HttpTransport {
public:
    PlainTransport(const BaseUrl& base, const HttpClientOptions& options)
        : base_(base), options_(options) {
        const std::string origin = base_.origin();
        host_header_ = origin.substr(origin.find("://") + 3);
        if (base_.port == 80) host_header_.resize(host_header_.rfind(':'));
    }
    ~PlainTransport() override { close_connection(); }

    HttpResult send(const HttpRequest& request) override {
        const unsigned generation = stop_generation_.load();
        if (fd_ >= 0 && (generation != fd_generation_ || !idle_connection_usable()))
            close_connection();
        const bool reused = fd_ >= 0;
        HttpResult result = attempt(request, generation);
        // A kept-alive connection the server closed just as we sent: nothing reached it, so
        // one retry on a fresh connection is safe.
        if (!result.has_response() && reused && nothing_received_ &&
            (failure_ == Failure::write || closed_by_peer_))
            result = attempt(request, generation);
        return result;
    }

    void stop() override { ++stop_generation_; }

private:
    HttpResult attempt(const HttpRequest& request, unsigned generation) {
        request_deadline_ = Clock::now() + whole_request_limit(options_);
        failure_ = Failure::none;
        nothing_received_ = true;
        closed_by_peer_ = false;
        streaming_body_ = false;
        detail_.clear();
        HttpResult out;
        if (fd_ < 0 && !connect_socket(generation)) return fail(out);
        HttpResponse response;
        bool keep_alive = true;
        if (!write_request(request, generation) ||
            !read_response(request, generation, response, keep_alive)) {
            close_connection();
            return fail(out);
        }
        // Bytes beyond the answer were never asked for: the connection cannot be trusted.
        if (!keep_alive || !buffer_.empty()) close_connection();
        out.response = std::move(response);
        return out;
    }

    HttpResult& fail(HttpResult& out) const {
        const std::string origin = base_.origin();
        switch (failure_) {
            case Failure::connect:
                out.error = "cannot connect to " + origin + " (" +
                            (detail_.empty() ? "" : detail_ + "; ") +
                            "is the server running and reachable?)";
                break;
            case Failure::connect_timeout:
                out.error = "timed out connecting to " + origin;
                break;
            case Failure::write:
                out.error = "could not send the request to " + origin +
                            " (connection closed or write timed out)";
                break;
            case Failure::read:
            case Failure::none:
                out.error = "no complete response from " + origin +
                            " (connection closed or read timed out)";
                break;
            case Failure::canceled:
                out.error = "request to " + origin + " was canceled";
                break;
            case Failure::malformed:
                out.error = "malformed HTTP response from " + origin + " (" + detail_ + ")";
                break;
            case Failure::deadline:
                out.error = "no complete response from " + origin + " within " +
                            std::to_string(whole_request_limit(options_).count()) +
                            " ms (the whole request's deadline)";
                break;
            case Failure::too_large:
                out.error = "the response from " + origin + " is larger than " +
                            std::to_string(options_.max_body) + " bytes: refused";
                break;
        }
        return out;
    }

    bool failed(Failure why, std::string detail = {}) {
        failure_ = why;
        detail_ = std::move(detail);
        return false;
    }

    void close_connection() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        buffer_.clear();
    }

    // An idle keep-alive connection must have nothing to read: readable means the server closed
    // it (or sent something unasked), so it cannot carry the next request.
    bool idle_connection_usable() const {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) == 0;
    }

    // Waits until the socket is ready for `events`; polls in short slices to notice stop().
    Failure wait(short events, Clock::time_point deadline, unsigned generation,
                 Failure on_timeout) const {
        for (;;) {
            if (stop_generation_.load() != generation) return Failure::canceled;
            const auto now = Clock::now();
            if (!streaming_body_ && now >= request_deadline_) return Failure::deadline;
            if (now >= deadline) return on_timeout;
            auto slice = std::min<Clock::duration>(deadline - now, kStopCheck);
            if (!streaming_body_) slice = std::min<Clock::duration>(slice, request_deadline_ - now);
            const int ms = std::max<int>(
                1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
            pollfd p{fd_, events, 0};
            const int r = ::poll(&p, 1, ms);
            if (r > 0) return Failure::none;  // ready, or an error the next call reports
            if (r < 0 && errno != EINTR) return on_timeout;
        }
    }

    bool connect_socket(unsigned generation) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* found = nullptr;
        const std::string port = std::to_string(base_.port);
        const int rc = ::getaddrinfo(base_.host.c_str(), port.c_str(), &hints, &found);
        if (rc != 0)
            return failed(Failure::connect,
                          "cannot resolve " + base_.host + ": " + ::gai_strerror(rc));
        const auto deadline = Clock::now() + options_.connect_timeout;
        Failure last = Failure::connect;
        for (addrinfo* ai = found; ai; ai = ai->ai_next) {
            fd_ = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           ai->ai_protocol);
            if (fd_ < 0) continue;
            if (::connect(fd_, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
                close_connection();
                continue;
            }
            last = wait(POLLOUT, deadline, generation, Failure::connect_timeout);
            int error = 0;
            socklen_t length = sizeof error;
            if (last == Failure::none &&
                ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
                const int one = 1;
                ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                fd_generation_ = generation;
                ::freeaddrinfo(found);
                return true;
            }
            close_connection();
            if (last == Failure::none) last = Failure::connect;
            if (last != Failure::connect) break;  // timed out or canceled: no time for the next
        }
        ::freeaddrinfo(found);
        return failed(last);
    }

    bool write_all(std::string_view data, unsigned generation) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n > 0) {
                data.remove_prefix(static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return failed(Failure::write);
            const Failure f =
                wait(POLLOUT, Clock::now() + options_.write_timeout, generation, Failure::write);
            if (f != Failure::none) return failed(f);
        }
        return true;
    }

    bool write_request(const HttpRequest& request, unsigned generation) {
        std::string head;
        head.reserve(256 + request.body.size());
        head.append(request.method).append(" ").append(request.path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host_header_).append("\r\n");
        for (const auto& [key, value] : *request.headers)
            head.append(key).append(": ").append(value).append("\r\n");
        if (request.method == "POST") {
            if (!request.content_type.empty())
                head.append("Content-Type: ").append(request.content_type).append("\r\n");
            head.append("Content-Length: ").append(std::to_string(request.body.size()));
            head.append("\r\n");
        }
        head.append("\r\n");
        head.append(request.body);  // one send: the trickle bodies are small
        return write_all(head, generation);
    }

    // Reads more bytes into buffer_; false on EOF, timeout, cancel or error.
    bool fill(unsigned generation) {
        char chunk[16384];
        for (;;) {
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n > 0) {
                buffer_.append(chunk, static_cast<std::size_t>(n));
                nothing_received_ = false;
                return true;
            }
            if (n == 0) {
                closed_by_peer_ = true;
                return failed(Failure::read);
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return failed(Failure::read);
            const Failure f =
                wait(POLLIN, Clock::now() + options_.read_timeout, generation, Failure::read);
            if (f != Failure::none) return failed(f);
        }
    }

    // One CRLF-terminated line from the buffer (without the CRLF).
    bool read_line(unsigned generation, std::string& line) {
        std::size_t end;
        while ((end = buffer_.find("\r\n")) == std::string::npos) {
            if (buffer_.size() > kMaxHead) return failed(Failure::malformed, "line too long");
            if (!fill(generation)) return false;
        }
        line.assign(buffer_, 0, end);
        buffer_.erase(0, end + 2);
        return true;
    }

    bool read_head(unsigned generation, HttpResponse& response, bool& http10) {
        for (;;) {  // interim 1xx answers (100 Continue) come before the real one
            std::size_t end;
            while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
                if (buffer_.size() > kMaxHead)
                    return failed(Failure::malformed, "headers larger than 64 KiB");
                if (!fill(generation)) return false;
            }
            std::string_view head(buffer_.data(), end);
            const auto line_end = head.find("\r\n");
            const std::string_view status_line = head.substr(0, line_end);
            // "HTTP/1.1 200 OK"
            if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." ||
                status_line[8] != ' ')
                return failed(Failure::malformed, "bad status line");
            http10 = status_line[7] == '0';
            int status = 0;
            const auto [ptr, ec] =
                std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
            if (ec != std::errc() || ptr != status_line.data() + 12 || status < 100 || status > 999)
                return failed(Failure::malformed, "bad status code");
            response.status = status;
            response.headers.clear();
            std::string_view rest =
                line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
            while (!rest.empty()) {
                const auto eol = rest.find("\r\n");
                const std::string_view line = rest.substr(0, eol);
                rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 2);
                const auto colon = line.find(':');
                if (colon == std::string_view::npos || colon == 0)
                    return failed(Failure::malformed, "bad header line");
                response.headers.emplace_back(
                    std::string(line.substr(0, colon)),
                    std::string(core::trim_blanks(line.substr(colon + 1))));
            }
            buffer_.erase(0, end + 4);
            if (status >= 200 || status == 101) return true;
        }
    }

    bool read_response(const HttpRequest& request, unsigned generation, HttpResponse& response,
                       bool& keep_alive) {
        bool http10 = false;
        if (!read_head(generation, response, http10)) return false;
        const auto connection = response.header("Connection");
        keep_alive = http10 ? (connection && has_token(*connection, "keep-alive"))
                            : !(connection && has_token(*connection, "close"));

        const bool success = response.status >= 200 && response.status < 300;
        const bool streaming = success && request.on_data != nullptr;
        streaming_body_ = streaming;  // from here on bounded by read_timeout only
        auto deliver = [&](std::string_view data) {
            if (data.empty()) return true;
            if (!streaming) {
                if (response.body.size() + data.size() > options_.max_body)
                    return failed(Failure::too_large);
                response.body.append(data);
                return true;
            }
            if ((*request.on_data)(data)) return true;
            return failed(Failure::canceled);
        };

        if (request.method == "HEAD" || response.status == 204 || response.status == 304)
            return true;
        const auto encoding = response.header("Transfer-Encoding");
        if (encoding && has_token(*encoding, "chunked")) return read_chunked(generation, deliver);
        if (encoding) return failed(Failure::malformed, "unsupported Transfer-Encoding");
        if (const auto length_text = response.header("Content-Length")) {
            std::size_t length = 0;
            const auto [ptr, ec] = std::from_chars(
                length_text->data(), length_text->data() + length_text->size(), length);
            if (ec != std::errc() || ptr != length_text->data() + length_text->size())
                return failed(Failure::malformed, "bad Content-Length");
            if (!streaming && length > options_.max_body) return failed(Failure::too_large);
            while (length > 0) {
                if (buffer_.empty() && !fill(generation)) return false;
                const std::size_t take = std::min(length, buffer_.size());
                if (!deliver(std::string_view(buffer_.data(), take))) return false;
                buffer_.erase(0, take);
                length -= take;
            }
            return true;
        }
        // No length: the body ends when the server closes the connection.
        keep_alive = false;
        for (;;) {
            if (!deliver(buffer_)) return false;
            buffer_.clear();
            if (!fill(generation)) {
                if (!closed_by_peer_) return false;
                failure_ = Failure::none;  // the close is the end of the body
                return true;
            }
        }
    }

    template <typename Deliver>
    bool read_chunked(unsigned generation, Deliver& deliver) {
        std::string line;
        for (;;) {
            if (!read_line(generation, line)) return false;
            std::size_t size = 0;
            const std::string_view digits =
                core::trim_blanks(std::string_view(line).substr(0, line.find(';')));
            const auto [ptr, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
            if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
                return failed(Failure::malformed, "bad chunk size");
            if (size == 0) break;
            while (size > 0) {
                if (buffer_.empty() && !fill(generation)) return false;
                const std::size_t take = std::min(size, buffer_.size());
                if (!deliver(std::string_view(buffer_.data(), take))) return false;
                buffer_.erase(0, take);
                size -= take;
            }
            if (!read_line(generation, line)) return false;
            if (!line.empty()) return failed(Failure::malformed, "chunk without CRLF");
        }
        do {  // trailer fields, up to the empty line
            if (!read_line(generation, line)) return false;
        } while (!line.empty());
        return true;
    }

    BaseUrl base_;
    HttpClientOptions options_;
    std::string host_header_;
    int fd_ = -1;
    unsigned fd_generation_ = 0;
    std::atomic<unsigned> stop_generation_{0};
    std::string buffer_;  // bytes received and not yet consumed
    Failure failure_ = Failure::none;
    bool nothing_received_ = true;  // no byte of a response arrived in this attempt
    bool closed_by_peer_ = false;   // the server closed the connection (recv returned 0)
    Clock::time_point request_deadline_ = Clock::time_point::max();
    bool streaming_body_ = false;  // a 2xx body going to on_data: no whole-request deadline
    std::string detail_;
};

}  // namespace

std::unique_ptr<HttpTransport> make_plain_transport(const BaseUrl& base,
                                                    const HttpClientOptions& options) {
    return std::make_unique<PlainTransport>(base, options);
}

}  // namespace pc::client
