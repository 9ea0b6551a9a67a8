// HttpTransport over cpp-httplib's client (http and https, OpenSSL). pcctl uses it directly;
// pcc loads it for https only, from the TLS module (tls_module.cpp).
#include <httplib.h>
#include <unistd.h>

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

class HttplibTransport final : public HttpTransport {
public:
    HttplibTransport(const BaseUrl& base, const HttpClientOptions& options)
        : base_(base), ca_file_(options.ca_file), client_(base.origin()) {
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
        httplib::Headers headers;
        for (const auto& [key, value] : *request.headers) headers.emplace(key, value);
        const std::string path(request.path);
        if (request.method == "POST")
            return convert(client_.Post(path, headers, request.body.data(), request.body.size(),
                                        std::string(request.content_type)),
                           {});
        if (!request.on_data) return convert(client_.Get(path, headers), {});
        // Only a 2xx body is data; an error answer's body is the server's message.
        bool success = false;
        std::string error_body;
        auto result = client_.Get(
            path, headers,
            [&](const httplib::Response& response) {
                success = response.status >= 200 && response.status < 300;
                return true;
            },
            [&](const char* data, std::size_t length) {
                if (success) return (*request.on_data)(std::string_view(data, length));
                error_body.append(data, length);
                return true;
            });
        return convert(std::move(result), std::move(error_body));
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
    httplib::Client client_;
};

}  // namespace

std::unique_ptr<HttpTransport> make_httplib_transport(const BaseUrl& base,
                                                      const HttpClientOptions& options) {
    return std::make_unique<HttplibTransport>(base, options);
}

}  // namespace pc::client
