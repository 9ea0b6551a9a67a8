// cpp-httplib's client (http and https, OpenSSL) carrying one exchange at a time and saying how
// it ended as a TLS-module status (tls_module_abi.hpp). The module's C entry points
// (tls_module.cpp) wrap it; pcc reaches it only through them, pcctl through the same entry
// points linked in (make_httplib_transport).
#pragma once

#include <memory>
#include <string>

#include "pc/client/http_client.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module_abi.hpp"

namespace pc::client {

struct ExchangeOutcome {
    pc_tls_status status = PC_TLS_OK;
    std::string detail;     // httplib's name of the failure, for PC_TLS_E_OTHER
    HttpResponse response;  // when status is PC_TLS_OK
};

class HttplibExchange {
public:
    virtual ~HttplibExchange() = default;
    virtual ExchangeOutcome send(const HttpRequest& request) = 0;
    // Any thread: abort a send in progress and close the connection.
    virtual void stop() = 0;
};

// Throws UserError when options.ca_file is unreadable.
std::unique_ptr<HttplibExchange> make_httplib_exchange(const BaseUrl& base,
                                                       const HttpClientOptions& options);

}  // namespace pc::client
