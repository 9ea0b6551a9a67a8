// pcc's transports: plain sockets for http://, the dlopen'ed TLS module for https://. Keeps
// OpenSSL (3 MB of resident memory just by being loaded) out of an agent that does not use it.
#include <dlfcn.h>

#include <mutex>

#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"
#include "pc/core/error.hpp"

#ifndef PC_TLS_MODULE_RELPATH
#define PC_TLS_MODULE_RELPATH "../lib/perfcollector/libpc_tls.so"
#endif

namespace pc::client {

namespace {

template <class Fn>
Fn entry(void* handle, const char* name) {
    return reinterpret_cast<Fn>(::dlsym(handle, name));
}

// Loaded and checked once, never unloaded (OpenSSL does not support being unloaded).
const TlsModuleApi& load_tls_module() {
    static std::mutex mutex;
    static TlsModuleApi api;
    std::lock_guard lock(mutex);
    if (api.abi) return api;
    const auto path = tls_module_path();
    const std::string fix =
        "; https needs it (it is installed with pcc), or use an http:// server URL";
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw core::UserError("cannot load the TLS module " + path.string() + " (" + ::dlerror() +
                              ")" + fix);
    TlsModuleApi found;
    found.abi = entry<pc_tls_abi_fn>(handle, kTlsAbiSymbol);
    found.open = entry<pc_tls_open_fn>(handle, kTlsOpenSymbol);
    found.send = entry<pc_tls_send_fn>(handle, kTlsSendSymbol);
    found.response_free = entry<pc_tls_response_free_fn>(handle, kTlsResponseFreeSymbol);
    found.stop = entry<pc_tls_stop_fn>(handle, kTlsStopSymbol);
    found.close = entry<pc_tls_close_fn>(handle, kTlsCloseSymbol);
    try {
        check_tls_module(found, path.string());
    } catch (const core::UserError& e) {
        throw core::UserError(e.what() + fix);
    }
    api = found;
    return api;
}

}  // namespace

std::filesystem::path tls_module_path() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto dir = ec ? std::filesystem::current_path(ec) : exe.parent_path();
    return (dir / PC_TLS_MODULE_RELPATH).lexically_normal();
}

std::unique_ptr<HttpTransport> make_lean_transport(const BaseUrl& base,
                                                   const HttpClientOptions& options) {
    if (!base.https()) return make_plain_transport(base, options);
    return make_tls_module_transport(load_tls_module(), tls_module_path().string(), base, options);
}

}  // namespace pc::client
