#include "pc/client/http_client.hpp"

#include <strings.h>

#include "pc/client/gzip.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/core/version.hpp"

namespace pc::client {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0)
            return value;
    return std::nullopt;
}

HttpClient::HttpClient(BaseUrl base, HttpClientOptions options,
                       std::unique_ptr<HttpTransport> transport)
    : base_(std::move(base)),
      user_agent_(options.user_agent.empty() ? "perfcollector/" + std::string(core::version())
                                             : options.user_agent),
      transport_(std::move(transport)) {}

HttpClient::~HttpClient() = default;

HttpResult HttpClient::send(std::string_view method, std::string_view route, const Headers& headers,
                            std::string_view body, std::string_view content_type, bool gzip,
                            const std::function<bool(std::string_view)>* on_data) {
    Headers all = headers;
    bool has_agent = false;
    for (const auto& [key, value] : headers)
        has_agent |= ::strcasecmp(key.c_str(), "User-Agent") == 0;
    if (!has_agent) all.emplace_back("User-Agent", user_agent_);
    std::string compressed;
    if (gzip) {
        compressed = gzip_compress(body);
        body = compressed;
        all.emplace_back("Content-Encoding", "gzip");
    }
    const std::string path = base_.path(route);
    HttpResult result = transport_->send({method, path, &all, body, content_type, on_data});
    if (!result.has_response())
        result.error = std::string(method) + " " + base_.to_string() + std::string(route) + ": " +
                       result.error;
    return result;
}

HttpResult HttpClient::get(std::string_view route, const Headers& headers) {
    return send("GET", route, headers, {}, {}, false, nullptr);
}

HttpResult HttpClient::get_streaming(std::string_view route, const Headers& headers,
                                     const std::function<bool(std::string_view)>& on_data) {
    return send("GET", route, headers, {}, {}, false, &on_data);
}

HttpResult HttpClient::post(std::string_view route, std::string_view body,
                            std::string_view content_type, const Headers& headers, bool gzip) {
    return send("POST", route, headers, body, content_type, gzip, nullptr);
}

void HttpClient::stop() {
    transport_->stop();
}

}  // namespace pc::client
