#include "pc/client/http_client.hpp"

#include <httplib.h>
#include <strings.h>
#include <unistd.h>

#include "pc/client/gzip.hpp"
#include "pc/core/error.hpp"
#include "pc/core/version.hpp"

namespace pc::client {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0)
            return value;
    return std::nullopt;
}

struct HttpClient::Impl {
    explicit Impl(const BaseUrl& base) : client(base.origin()) {}
    httplib::Client client;
    std::string user_agent;
};

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

httplib::Headers to_httplib(const Headers& headers, const std::string& user_agent) {
    httplib::Headers out;
    bool has_agent = false;
    for (const auto& [key, value] : headers) {
        if (::strcasecmp(key.c_str(), "User-Agent") == 0) has_agent = true;
        out.emplace(key, value);
    }
    if (!has_agent) out.emplace("User-Agent", user_agent);
    return out;
}

HttpResult convert(httplib::Result&& result, std::string_view method, const BaseUrl& base,
                   std::string_view route, const std::string& ca_file) {
    HttpResult out;
    if (!result) {
        out.error = std::string(method) + " " + base.to_string() + std::string(route) + ": " +
                    describe(result.error(), base, ca_file);
        return out;
    }
    HttpResponse response;
    response.status = result->status;
    response.body = std::move(result->body);
    for (const auto& [key, value] : result->headers) response.headers.emplace_back(key, value);
    out.response = std::move(response);
    return out;
}

}  // namespace

HttpClient::HttpClient(BaseUrl base, HttpClientOptions options)
    : base_(std::move(base)), impl_(std::make_unique<Impl>(base_)) {
    auto& c = impl_->client;
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    c.set_connection_timeout(options.connect_timeout);
    c.set_read_timeout(options.read_timeout);
    c.set_write_timeout(options.write_timeout);
    c.set_follow_location(false);
    c.set_compress(false);  // bodies are compressed here, once, when asked
    if (base_.https()) {
        c.enable_server_certificate_verification(options.verify_tls);
        if (!options.ca_file.empty()) {
            if (::access(options.ca_file.c_str(), R_OK) != 0)
                throw UserError("CA file " + options.ca_file +
                                " cannot be read: " + errno_text(errno));
            c.set_ca_cert_path(options.ca_file);
        }
    }
    impl_->user_agent =
        options.user_agent.empty() ? "perfcollector/" + std::string(version()) : options.user_agent;
    ca_file_ = options.ca_file;
}

HttpClient::~HttpClient() = default;

HttpResult HttpClient::get(std::string_view route, const Headers& headers) {
    const std::string path = base_.path(route);
    return convert(impl_->client.Get(path, to_httplib(headers, impl_->user_agent)), "GET", base_,
                   route, ca_file_);
}

HttpResult HttpClient::get_streaming(std::string_view route, const Headers& headers,
                                     const std::function<bool(std::string_view)>& on_data) {
    const std::string path = base_.path(route);
    auto result = impl_->client.Get(path, to_httplib(headers, impl_->user_agent),
                                    [&](const char* data, std::size_t length) {
                                        return on_data(std::string_view(data, length));
                                    });
    return convert(std::move(result), "GET", base_, route, ca_file_);
}

HttpResult HttpClient::post(std::string_view route, std::string_view body,
                            std::string_view content_type, const Headers& headers, bool gzip) {
    const std::string path = base_.path(route);
    auto all = to_httplib(headers, impl_->user_agent);
    std::string compressed;
    if (gzip) {
        compressed = gzip_compress(body);
        body = compressed;
        all.emplace("Content-Encoding", "gzip");
    }
    auto result =
        impl_->client.Post(path, all, body.data(), body.size(), std::string(content_type));
    return convert(std::move(result), "POST", base_, route, ca_file_);
}

void HttpClient::stop() {
    impl_->client.stop();
}

}  // namespace pc::client
