// The entry point of the TLS module (libpc_tls.so): httplib's client with OpenSSL, built as a
// separate shared object that pcc loads with dlopen only when PCC_SERVER_URL is https://.
// The module is built with hidden visibility; only these C symbols are exported.
#include "pc/client/tls_module.hpp"

#include <cstdio>
#include <exception>

#include "pc/client/http_transport.hpp"

extern "C" {

__attribute__((visibility("default"))) int pc_tls_module_abi() {
    return pc::client::kTlsModuleAbi;
}

__attribute__((visibility("default"))) pc::client::HttpTransport* pc_tls_make_transport(
    const pc::client::BaseUrl* base, const pc::client::HttpClientOptions* options, char* error,
    std::size_t error_size) {
    // No exception may cross into the loading program (it may carry its own C++ runtime).
    try {
        return pc::client::make_httplib_transport(*base, *options).release();
    } catch (const std::exception& e) {
        std::snprintf(error, error_size, "%s", e.what());
    } catch (...) {
        std::snprintf(error, error_size, "unknown error");
    }
    return nullptr;
}

}  // extern "C"
