// The TLS module's side of the C ABI (tls_module_abi.hpp) over httplib's client
// (httplib_exchange.cpp). Built into libpc_tls.so with hidden visibility, where these are the
// only exported symbols and pcc finds them with dlsym; also linked into libpc, where pcctl's
// transport calls them directly (make_httplib_transport), so both take the same path.
// Every entry point catches everything: the caller may run another C++ runtime.
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "pc/client/httplib_exchange.hpp"
#include "pc/client/tls_module_abi.hpp"

namespace {

using pc::client::ExchangeOutcome;

#define PC_TLS_EXPORT extern "C" __attribute__((visibility("default")))

std::string_view view(pc_tls_bytes bytes) {
    return bytes.size == 0 ? std::string_view() : std::string_view(bytes.data, bytes.size);
}

void put_text(char* out, std::size_t size, const char* text) {
    if (out && size > 0) std::snprintf(out, size, "%s", text);
}

// What a response's memory is, behind module_state: the outcome and its headers as C pairs.
struct ResponseState {
    ExchangeOutcome outcome;
    std::vector<pc_tls_header> headers;
};

// The C callback as the std::function HttpRequest carries.
struct DataTrampoline {
    pc_tls_data_fn fn;
    void* context;
    bool operator()(std::string_view data) const {
        return fn(context, data.data(), data.size()) != 0;
    }
};

}  // namespace

struct pc_tls_transport {
    std::unique_ptr<pc::client::HttplibExchange> exchange;
};

PC_TLS_EXPORT uint64_t pc_tls_abi(void) {
    return pc::client::kTlsAbi;
}

PC_TLS_EXPORT int32_t pc_tls_open(const pc_tls_options* options, pc_tls_transport** out,
                                  char* message, size_t message_size) {
    if (!options || !out || options->struct_size != sizeof(pc_tls_options)) {
        put_text(message, message_size, "bad call (a caller of another ABI?)");
        return PC_TLS_E_BAD_CALL;
    }
    *out = nullptr;
    try {
        pc::client::BaseUrl base;
        base.scheme = std::string(view(options->scheme));
        base.host = std::string(view(options->host));
        base.port = options->port;
        pc::client::HttpClientOptions http;
        http.connect_timeout = std::chrono::milliseconds(options->connect_timeout_ms);
        http.read_timeout = std::chrono::milliseconds(options->read_timeout_ms);
        http.write_timeout = std::chrono::milliseconds(options->write_timeout_ms);
        http.deadline = std::chrono::milliseconds(options->deadline_ms);
        http.max_body = options->max_body;
        http.ca_file = std::string(view(options->ca_file));
        http.verify_tls = options->verify_tls != 0;
        *out = new pc_tls_transport{pc::client::make_httplib_exchange(base, http)};
        return PC_TLS_OK;
    } catch (const std::bad_alloc&) {
        put_text(message, message_size, "out of memory");
        return PC_TLS_E_NO_MEMORY;
    } catch (const std::exception& e) {
        put_text(message, message_size, e.what());
    } catch (...) {
        put_text(message, message_size, "unknown error");
    }
    return PC_TLS_E_INTERNAL;
}

PC_TLS_EXPORT int32_t pc_tls_send(pc_tls_transport* transport, const pc_tls_request* request,
                                  pc_tls_response* response) {
    if (!response || response->struct_size != sizeof(pc_tls_response)) return PC_TLS_E_BAD_CALL;
    *response = pc_tls_response{};
    response->struct_size = sizeof(pc_tls_response);
    if (!transport || !request || request->struct_size != sizeof(pc_tls_request) ||
        (request->header_count > 0 && !request->headers))
        return PC_TLS_E_BAD_CALL;
    try {
        pc::client::Headers headers;
        headers.reserve(request->header_count);
        for (std::size_t i = 0; i < request->header_count; ++i)
            headers.emplace_back(view(request->headers[i].name), view(request->headers[i].value));
        const pc::client::DataCallback on_data =
            DataTrampoline{request->on_data, request->on_data_context};
        pc::client::HttpRequest http{view(request->method),
                                     view(request->path),
                                     &headers,
                                     view(request->body),
                                     view(request->content_type),
                                     request->on_data ? &on_data : nullptr};
        auto state = std::make_unique<ResponseState>();
        state->outcome = transport->exchange->send(http);
        const auto& outcome = state->outcome;
        put_text(response->detail, sizeof response->detail, outcome.detail.c_str());
        if (outcome.status != PC_TLS_OK) return outcome.status;
        for (const auto& [name, value] : outcome.response.headers)
            state->headers.push_back({{name.data(), name.size()}, {value.data(), value.size()}});
        response->http_status = outcome.response.status;
        response->body = {outcome.response.body.data(), outcome.response.body.size()};
        response->headers = state->headers.data();
        response->header_count = state->headers.size();
        response->module_state = state.release();
        return PC_TLS_OK;
    } catch (const std::bad_alloc&) {
        return PC_TLS_E_NO_MEMORY;
    } catch (const std::exception& e) {
        put_text(response->detail, sizeof response->detail, e.what());
    } catch (...) {
        put_text(response->detail, sizeof response->detail, "unknown error");
    }
    return PC_TLS_E_INTERNAL;
}

PC_TLS_EXPORT void pc_tls_response_free(pc_tls_response* response) {
    if (!response) return;
    delete static_cast<ResponseState*>(response->module_state);
    const auto size = response->struct_size;
    *response = pc_tls_response{};
    response->struct_size = size;
}

PC_TLS_EXPORT void pc_tls_stop(pc_tls_transport* transport) {
    try {
        if (transport) transport->exchange->stop();
    } catch (...) {  // nothing to report: the send in progress fails on its own
    }
}

PC_TLS_EXPORT void pc_tls_close(pc_tls_transport* transport) {
    delete transport;  // destructors do not throw
}
