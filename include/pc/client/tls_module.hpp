// The caller's side of the TLS module's C ABI (tls_module_abi.hpp): an HttpTransport over the
// module's entry points, wherever they come from (dlsym in pcc's lean transport, linked in for
// pcctl's httplib transport, a fake in the tests). Only C types cross; exceptions stay on
// their side; the module's memory goes back to the module.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "pc/client/http_client.hpp"
#include "pc/client/tls_module_abi.hpp"

namespace pc::client {

class HttpTransport;

// The entry points as the caller holds them.
struct TlsModuleApi {
    pc_tls_abi_fn abi = nullptr;
    pc_tls_open_fn open = nullptr;
    pc_tls_send_fn send = nullptr;
    pc_tls_response_free_fn response_free = nullptr;
    pc_tls_stop_fn stop = nullptr;
    pc_tls_close_fn close = nullptr;
};

// Their exported names.
inline constexpr const char* kTlsAbiSymbol = "pc_tls_abi";
inline constexpr const char* kTlsOpenSymbol = "pc_tls_open";
inline constexpr const char* kTlsSendSymbol = "pc_tls_send";
inline constexpr const char* kTlsResponseFreeSymbol = "pc_tls_response_free";
inline constexpr const char* kTlsStopSymbol = "pc_tls_stop";
inline constexpr const char* kTlsCloseSymbol = "pc_tls_close";

// Throws UserError naming `module` (its path, in messages) when an entry point is missing or
// the module's pc_tls_abi() is not kTlsAbi (a module of another build).
void check_tls_module(const TlsModuleApi& api, std::string_view module);

// A transport over the module's entry points (check_tls_module first). Failures of a request
// come back as HttpResult::error in the same words as every transport's; an answer body larger
// than options.max_body is refused even when the module let it through. Throws UserError when
// the CA file is unreadable or the module cannot open a transport.
std::unique_ptr<HttpTransport> make_tls_module_transport(const TlsModuleApi& api,
                                                         std::string_view module,
                                                         const BaseUrl& base,
                                                         const HttpClientOptions& options);

// What a failed status means, in terms of the origin only (HttpClient adds method and URL).
std::string describe_tls_status(int status, std::string_view detail, const BaseUrl& base,
                                const HttpClientOptions& options);

// Where the module is looked for: <directory of /proc/self/exe>/<relative path set at build
// time>, i.e. <prefix>/lib/perfcollector/libpc_tls.so next to <prefix>/bin, and the same
// layout in the build tree (build/bin, build/lib/perfcollector).
std::filesystem::path tls_module_path();

}  // namespace pc::client
