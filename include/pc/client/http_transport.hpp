// What carries one HTTP exchange for HttpClient. Two implementations: httplib's client (pcd's
// peers: pcctl; http and https) and the lean pair pcc uses, a plain-socket HTTP/1.1 client for
// http:// and the TLS module (libpc_tls.so, loaded with dlopen only for https://), so that an
// agent that never speaks TLS never loads OpenSSL.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "pc/client/http_client.hpp"

namespace pc::client {

using DataCallback = std::function<bool(std::string_view)>;

struct HttpRequest {
    std::string_view method;        // "GET" or "POST"
    std::string_view path;          // origin form, "/prefix/v1/trickle?x=1"
    const Headers* headers;         // caller's headers incl. User-Agent and Content-Encoding
    std::string_view body;          // sent with Content-Length when method is POST
    std::string_view content_type;  // for the body
    // When set, a 2xx response body goes here as it arrives instead of into response.body;
    // returning false aborts the request (it fails as canceled). Error bodies (non-2xx) always
    // go into response.body.
    const DataCallback* on_data = nullptr;
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // A response, or HttpResult::error saying what failed in terms of the origin only (the
    // client prefixes method and URL). Never puts header values in errors.
    virtual HttpResult send(const HttpRequest& request) = 0;
    // Any thread: abort a send in progress and close the connection.
    virtual void stop() = 0;
};

// httplib's client, http and https: the TLS module's C entry points linked into this program,
// the same boundary pcc crosses with dlopen. Throws UserError when options.ca_file is
// unreadable.
std::unique_ptr<HttpTransport> make_httplib_transport(const BaseUrl& base,
                                                      const HttpClientOptions& options);

// Our own HTTP/1.1 client on plain sockets (http:// only): keep-alive, Content-Length and
// chunked responses, connect/read/write timeouts.
std::unique_ptr<HttpTransport> make_plain_transport(const BaseUrl& base,
                                                    const HttpClientOptions& options);

// pcc's choice: the plain transport for http://, the TLS module for https://. Throws UserError
// when the CA file is unreadable or the TLS module is missing or unusable.
std::unique_ptr<HttpTransport> make_lean_transport(const BaseUrl& base,
                                                   const HttpClientOptions& options);

}  // namespace pc::client
