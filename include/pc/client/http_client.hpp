// The suite's HTTP(S) client (pcc's trickle sender, pcctl): one keep-alive connection to one
// server, bounded timeouts, TLS with certificate verification, optional gzip request bodies.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pc/client/base_url.hpp"

namespace pc::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds read_timeout{5000};
    std::chrono::milliseconds write_timeout{5000};
    // The whole exchange, from connecting to the last byte of the answer, however slowly a
    // server trickles it. Zero: the sum of the three timeouts above. A streamed body
    // (get_streaming) is bounded only by read_timeout once its head has arrived: it goes to the
    // caller, not to memory.
    std::chrono::milliseconds deadline{0};
    // Largest answer body kept in memory; a larger one fails the request ("larger than N bytes")
    // as soon as it is announced or received. Streamed bodies are not counted.
    std::size_t max_body = 1u << 20;
    // PEM file of CAs trusted for https instead of the system store (a private CA).
    std::string ca_file;
    // Certificate and host-name verification for https. Always on in the binaries.
    bool verify_tls = true;
    std::string user_agent;  // empty: "perfcollector/<version>"
};

// The limit of one whole exchange: options.deadline, or the sum of the three timeouts.
inline std::chrono::milliseconds whole_request_limit(const HttpClientOptions& options) {
    return options.deadline.count() > 0
               ? options.deadline
               : options.connect_timeout + options.write_timeout + options.read_timeout;
}

struct HttpResponse {
    int status = 0;
    std::string body;
    Headers headers;
    // First header with this name (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpResult {
    std::optional<HttpResponse> response;  // empty when no response arrived
    // When response is empty: one line saying what failed ("POST http://h:1/v1/trickle: cannot
    // connect ..."). Never contains header values (API keys travel in headers).
    std::string error;

    bool has_response() const { return response.has_value(); }
    int status() const { return response ? response->status : 0; }
};

class HttpTransport;

// One request at a time (not thread-safe), except stop(), which any thread may call.
class HttpClient {
public:
    // Over httplib's client (links OpenSSL). Throws UserError when ca_file is set but unreadable.
    explicit HttpClient(BaseUrl base, HttpClientOptions options = {});
    // Over the given transport (see http_transport.hpp: make_lean_transport is pcc's).
    HttpClient(BaseUrl base, HttpClientOptions options, std::unique_ptr<HttpTransport> transport);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // `route` is appended to the base URL's path prefix and may hold a query string.
    HttpResult get(std::string_view route, const Headers& headers = {});
    // GET whose body is handed to `on_data` as it arrives instead of being kept (large
    // downloads); on_data returns false to abort. For a 2xx answer response->body stays empty;
    // any other answer's body (the server's error message) goes to response->body, never to
    // on_data.
    HttpResult get_streaming(std::string_view route, const Headers& headers,
                             const std::function<bool(std::string_view)>& on_data);
    // With gzip, the body is compressed and sent with Content-Encoding: gzip.
    HttpResult post(std::string_view route, std::string_view body, std::string_view content_type,
                    const Headers& headers = {}, bool gzip = false);

    // Aborts a request in progress on another thread (it fails with "canceled"/read error) and
    // closes the connection; later requests reconnect.
    void stop();

    const BaseUrl& base() const { return base_; }

private:
    HttpResult send(std::string_view method, std::string_view route, const Headers& headers,
                    std::string_view body, std::string_view content_type, bool gzip,
                    const std::function<bool(std::string_view)>* on_data);

    BaseUrl base_;
    std::string user_agent_;
    std::unique_ptr<HttpTransport> transport_;
};

}  // namespace pc::client
