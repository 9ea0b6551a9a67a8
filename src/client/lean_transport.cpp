// pcc's transports: plain sockets for http://, the dlopen'ed TLS module for https://. Keeps
// OpenSSL (3 MB of resident memory just by being loaded) out of an agent that does not use it.
#include <dlfcn.h>
#include <unistd.h>

#include <mutex>

#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"
#include "pc/core/error.hpp"

#ifndef PC_TLS_MODULE_RELPATH
#define PC_TLS_MODULE_RELPATH "../lib/perfcollector/libpc_tls.so"
#endif

namespace pc::client {

namespace {

// Loaded once and never unloaded (OpenSSL does not support being unloaded).
TlsMakeTransportFn load_tls_module() {
    static std::mutex mutex;
    static TlsMakeTransportFn make = nullptr;
    std::lock_guard lock(mutex);
    if (make) return make;
    const auto path = tls_module_path();
    const std::string fix =
        "; https needs it (it is installed with pcc), or use an http:// server URL";
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw core::UserError("cannot load the TLS module " + path.string() + " (" + ::dlerror() +
                              ")" + fix);
    const auto abi = reinterpret_cast<TlsModuleAbiFn>(::dlsym(handle, kTlsModuleAbiSymbol));
    const auto factory =
        reinterpret_cast<TlsMakeTransportFn>(::dlsym(handle, kTlsMakeTransportSymbol));
    if (!abi || !factory || abi() != kTlsModuleAbi)
        throw core::UserError("the TLS module " + path.string() +
                              " does not belong to this pcc (other version)" + fix);
    make = factory;
    return make;
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
    // Checked here so the module never has to report it.
    if (!options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0)
        throw core::UserError("CA file " + options.ca_file +
                              " cannot be read: " + core::errno_text(errno));
    const auto make = load_tls_module();
    char error[512] = "";
    std::unique_ptr<HttpTransport> transport(make(&base, &options, error, sizeof error));
    if (!transport) throw core::UserError(std::string("TLS transport: ") + error);
    return transport;
}

}  // namespace pc::client
