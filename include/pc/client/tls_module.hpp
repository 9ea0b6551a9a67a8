// The contract between pcc and its TLS module (libpc_tls.so), loaded with dlopen for https.
#pragma once

#include <cstddef>
#include <filesystem>

#include "pc/client/http_client.hpp"

namespace pc::client {

class HttpTransport;

// Bumped whenever HttpTransport, HttpRequest, HttpResult, BaseUrl or HttpClientOptions change
// layout: a module of another ABI is refused instead of crashing.
inline constexpr int kTlsModuleAbi = 2;  // 2: HttpClientOptions.deadline, max_body

// Exported by the module (C linkage, looked up with dlsym).
extern "C" {
using TlsModuleAbiFn = int (*)();
// Returns a transport owned by the caller, or nullptr with a message in `error`.
using TlsMakeTransportFn = HttpTransport* (*)(const BaseUrl* base, const HttpClientOptions* options,
                                              char* error, std::size_t error_size);
}
inline constexpr const char* kTlsModuleAbiSymbol = "pc_tls_module_abi";
inline constexpr const char* kTlsMakeTransportSymbol = "pc_tls_make_transport";

// Where the module is looked for: <directory of /proc/self/exe>/<relative path set at build
// time>, i.e. <prefix>/lib/perfcollector/libpc_tls.so next to <prefix>/bin, and the same
// layout in the build tree (build/bin, build/lib/perfcollector).
std::filesystem::path tls_module_path();

}  // namespace pc::client
