// A TLS module for tests/integration/trickle_tls_module.cpp: it satisfies the C ABI of
// include/pc/client/tls_module_abi.hpp but fails inside every request after some work (it
// hands out answer memory, then reports an internal failure). Built with PC_FAKE_TLS_OTHER_ABI
// it reports another ABI, as a module of another build would.
#include <cstdio>
#include <string>

#include "pc/client/tls_module_abi.hpp"

struct pc_tls_transport {
    int requests = 0;
};

namespace {

struct Held {
    std::string body = "half an answer";
};

}  // namespace

extern "C" {

__attribute__((visibility("default"))) uint64_t pc_tls_abi(void) {
#ifdef PC_FAKE_TLS_OTHER_ABI
    return pc::client::kTlsAbi + 1;
#else
    return pc::client::kTlsAbi;
#endif
}

__attribute__((visibility("default"))) int32_t pc_tls_open(const pc_tls_options* options,
                                                           pc_tls_transport** out, char* message,
                                                           size_t message_size) {
    if (!options || !out || options->struct_size != sizeof(pc_tls_options)) {
        std::snprintf(message, message_size, "bad call");
        return PC_TLS_E_BAD_CALL;
    }
    try {
        *out = new pc_tls_transport;
        return PC_TLS_OK;
    } catch (...) {
        return PC_TLS_E_NO_MEMORY;
    }
}

__attribute__((visibility("default"))) int32_t pc_tls_send(pc_tls_transport* transport,
                                                           const pc_tls_request* request,
                                                           pc_tls_response* response) {
    if (!transport || !request || !response) return PC_TLS_E_BAD_CALL;
    try {
        ++transport->requests;
        auto* held = new Held;  // work done before the failure: the caller must free it
        response->body = {held->body.data(), held->body.size()};
        response->module_state = held;
        std::snprintf(response->detail, sizeof response->detail,
                      "fake TLS module: failed half-way through request %d", transport->requests);
        return PC_TLS_E_INTERNAL;
    } catch (...) {
        return PC_TLS_E_NO_MEMORY;
    }
}

__attribute__((visibility("default"))) void pc_tls_response_free(pc_tls_response* response) {
    if (!response) return;
    delete static_cast<Held*>(response->module_state);
    response->module_state = nullptr;
    response->body = {nullptr, 0};
}

__attribute__((visibility("default"))) void pc_tls_stop(pc_tls_transport*) {}

__attribute__((visibility("default"))) void pc_tls_close(pc_tls_transport* transport) {
    delete transport;
}

}  // extern "C"
