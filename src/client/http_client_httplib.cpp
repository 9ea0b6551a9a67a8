// HttpClient's default constructor lives apart from the rest of the client so that a program
// using only the lean transport (pcc) does not link httplib and OpenSSL.
#include "pc/client/http_client.hpp"
#include "pc/client/http_transport.hpp"

namespace pc::client {

HttpClient::HttpClient(BaseUrl base, HttpClientOptions options)
    : HttpClient(base, options, make_httplib_transport(base, options)) {}

}  // namespace pc::client
