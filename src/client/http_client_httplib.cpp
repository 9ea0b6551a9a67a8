// HttpClient's default constructor and httplib's transport live apart from the rest of the
// client so that a program using only the lean transport (pcc) does not link httplib and
// OpenSSL. httplib's transport is the TLS module's C entry points linked in (tls_module.cpp):
// pcctl and pcc's https go through the same boundary.
#include "pc/client/http_client.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"

namespace pc::client {

std::unique_ptr<HttpTransport> make_httplib_transport(const BaseUrl& base,
                                                      const HttpClientOptions& options) {
    static constexpr TlsModuleApi kLinked{pc_tls_abi,           pc_tls_open, pc_tls_send,
                                          pc_tls_response_free, pc_tls_stop, pc_tls_close};
    return make_tls_module_transport(kLinked, "linked into this program", base, options);
}

HttpClient::HttpClient(BaseUrl base, HttpClientOptions options)
    : HttpClient(base, options, make_httplib_transport(base, options)) {}

}  // namespace pc::client
