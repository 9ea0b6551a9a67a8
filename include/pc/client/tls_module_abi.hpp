// The C ABI of the TLS module (libpc_tls.so): the only thing that crosses between pcc, which
// links libstdc++ statically, and the module, which loads the shared one. Plain C on purpose:
// no C++ type, exception, allocation or vtable crosses, so the two C++ runtimes never meet.
//
// Rules of the boundary:
// - Buffers are (pointer, length) pairs, never NUL-terminated unless said so.
// - Every struct starts with struct_size, set by whoever fills it in to sizeof(struct); the
//   module refuses a struct of another size with PC_TLS_E_BAD_CALL.
// - Every entry point returns a pc_tls_status (or nothing) and catches everything inside.
// - Memory the module hands out (a response's body and headers) stays the module's and is
//   released with pc_tls_response_free, which the caller calls after every pc_tls_send.
// - Callbacks are C function pointers with a void* context; they must not throw either.
// - pc_tls_abi() returns kTlsAbi of the module's build; pcc refuses a module whose number is not
//   its own. kTlsAbi is computed below from the layout of everything declared here, so a layout
//   change changes it by itself; kTlsAbiRevision is only for a change of meaning.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pc_tls_bytes {
    const char* data;
    size_t size;
} pc_tls_bytes;

typedef struct pc_tls_header {
    pc_tls_bytes name;
    pc_tls_bytes value;
} pc_tls_header;

// How a call ended. Each failure is one cause pcc words itself (tls_module_transport.cpp).
typedef enum pc_tls_status {
    PC_TLS_OK = 0,
    PC_TLS_E_CONNECT = 1,          // cannot connect
    PC_TLS_E_CONNECT_TIMEOUT = 2,  // connecting timed out
    PC_TLS_E_READ = 3,             // no complete response (closed, or a read timed out)
    PC_TLS_E_WRITE = 4,            // the request could not be sent
    PC_TLS_E_HANDSHAKE = 5,        // TLS handshake failed
    PC_TLS_E_CA_LOAD = 6,          // the CA certificates could not be loaded
    PC_TLS_E_VERIFY = 7,           // the server's certificate failed verification
    PC_TLS_E_CANCELED = 8,         // pc_tls_stop, or the data callback returned 0
    PC_TLS_E_DECOMPRESS = 9,       // the response could not be decompressed
    PC_TLS_E_TOO_LARGE = 10,       // the answer body is larger than max_body
    PC_TLS_E_DEADLINE = 11,        // the whole request's deadline passed
    PC_TLS_E_OTHER = 12,           // another transport failure, named in detail
    PC_TLS_E_BAD_CALL = 13,        // null pointer, or a struct of another size
    PC_TLS_E_NO_MEMORY = 14,
    PC_TLS_E_INTERNAL = 15,  // an exception inside the module, its text in detail
} pc_tls_status;

// Where to connect and how: HttpClientOptions in C terms.
typedef struct pc_tls_options {
    uint32_t struct_size;
    pc_tls_bytes scheme;  // "https" (or "http")
    pc_tls_bytes host;    // IPv6 without brackets
    int32_t port;
    int64_t connect_timeout_ms;
    int64_t read_timeout_ms;
    int64_t write_timeout_ms;
    int64_t deadline_ms;   // the whole request; 0: the sum of the three above
    uint64_t max_body;     // largest answer body kept (streamed bodies are not counted)
    pc_tls_bytes ca_file;  // PEM file of trusted CAs; empty: the system store
    int32_t verify_tls;    // nonzero: verify certificate and host name
} pc_tls_options;

// Gets a 2xx body as it arrives when set on a request; returns nonzero to go on, 0 to abort
// (the request then ends with PC_TLS_E_CANCELED).
typedef int (*pc_tls_data_fn)(void* context, const char* data, size_t size);

typedef struct pc_tls_request {
    uint32_t struct_size;
    pc_tls_bytes method;  // "GET" or "POST"
    pc_tls_bytes path;    // origin form with query
    const pc_tls_header* headers;
    size_t header_count;
    pc_tls_bytes body;          // sent when method is POST
    pc_tls_bytes content_type;  // of the body
    pc_tls_data_fn on_data;     // optional, see above
    void* on_data_context;
} pc_tls_request;

typedef struct pc_tls_response {
    uint32_t struct_size;  // set by the caller before pc_tls_send
    int32_t http_status;
    // Owned by the module until pc_tls_response_free. A streamed 2xx body is not here.
    pc_tls_bytes body;
    const pc_tls_header* headers;
    size_t header_count;
    char detail[256];    // NUL-terminated words of the module for E_OTHER and E_INTERNAL
    void* module_state;  // the module's, for pc_tls_response_free
} pc_tls_response;

typedef struct pc_tls_transport pc_tls_transport;  // opaque: one keep-alive connection

// The entry points, exported by the module with these names.
uint64_t pc_tls_abi(void);
// Creates a transport in *out, or returns a failure with a NUL-terminated message in
// message[0..message_size).
int32_t pc_tls_open(const pc_tls_options* options, pc_tls_transport** out, char* message,
                    size_t message_size);
// One exchange. On PC_TLS_OK, response holds the answer; on failure, only detail. Either way
// the caller then calls pc_tls_response_free(response).
int32_t pc_tls_send(pc_tls_transport* transport, const pc_tls_request* request,
                    pc_tls_response* response);
// Releases what pc_tls_send put in response and clears it; a cleared response is fine.
void pc_tls_response_free(pc_tls_response* response);
// Any thread: aborts a send in progress and closes the connection.
void pc_tls_stop(pc_tls_transport* transport);
void pc_tls_close(pc_tls_transport* transport);

typedef uint64_t (*pc_tls_abi_fn)(void);
typedef int32_t (*pc_tls_open_fn)(const pc_tls_options*, pc_tls_transport**, char*, size_t);
typedef int32_t (*pc_tls_send_fn)(pc_tls_transport*, const pc_tls_request*, pc_tls_response*);
typedef void (*pc_tls_response_free_fn)(pc_tls_response*);
typedef void (*pc_tls_stop_fn)(pc_tls_transport*);
typedef void (*pc_tls_close_fn)(pc_tls_transport*);

#ifdef __cplusplus
}  // extern "C"

#include <cstdint>
#include <initializer_list>
#include <type_traits>

namespace pc::client {

// Raised by hand only when a field or a status changes meaning without changing the layout.
inline constexpr std::uint64_t kTlsAbiRevision = 3;

namespace tls_abi_detail {

constexpr std::uint64_t mix(std::uint64_t hash, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {  // FNV-1a over the value's bytes
        hash ^= (value >> (8 * i)) & 0xff;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

template <class R, class... A>
constexpr std::uint64_t mix_signature(std::uint64_t hash, R (*)(A...)) {
    hash = mix(hash, sizeof...(A));
    if constexpr (!std::is_void_v<R>) hash = mix(hash, sizeof(R));
    ((hash = mix(hash, sizeof(A))), ...);
    return hash;
}

}  // namespace tls_abi_detail

// Every struct's size and every field's offset, every entry point's parameter count and sizes,
// the status list and the revision: what both sides must agree on.
constexpr std::uint64_t tls_abi_fingerprint() {
    using namespace tls_abi_detail;
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::uint64_t v : {kTlsAbiRevision,
                            sizeof(void*),
                            sizeof(pc_tls_bytes),
                            offsetof(pc_tls_bytes, size),
                            sizeof(pc_tls_header),
                            offsetof(pc_tls_header, value),
                            sizeof(pc_tls_status),
                            std::uint64_t{PC_TLS_E_INTERNAL},
                            sizeof(pc_tls_options),
                            offsetof(pc_tls_options, scheme),
                            offsetof(pc_tls_options, host),
                            offsetof(pc_tls_options, port),
                            offsetof(pc_tls_options, connect_timeout_ms),
                            offsetof(pc_tls_options, read_timeout_ms),
                            offsetof(pc_tls_options, write_timeout_ms),
                            offsetof(pc_tls_options, deadline_ms),
                            offsetof(pc_tls_options, max_body),
                            offsetof(pc_tls_options, ca_file),
                            offsetof(pc_tls_options, verify_tls),
                            sizeof(pc_tls_request),
                            offsetof(pc_tls_request, method),
                            offsetof(pc_tls_request, path),
                            offsetof(pc_tls_request, headers),
                            offsetof(pc_tls_request, header_count),
                            offsetof(pc_tls_request, body),
                            offsetof(pc_tls_request, content_type),
                            offsetof(pc_tls_request, on_data),
                            offsetof(pc_tls_request, on_data_context),
                            sizeof(pc_tls_response),
                            offsetof(pc_tls_response, http_status),
                            offsetof(pc_tls_response, body),
                            offsetof(pc_tls_response, headers),
                            offsetof(pc_tls_response, header_count),
                            offsetof(pc_tls_response, detail),
                            offsetof(pc_tls_response, module_state)})
        h = mix(h, v);
    h = mix_signature(h, pc_tls_data_fn{});
    h = mix_signature(h, pc_tls_abi_fn{});
    h = mix_signature(h, pc_tls_open_fn{});
    h = mix_signature(h, pc_tls_send_fn{});
    h = mix_signature(h, pc_tls_response_free_fn{});
    h = mix_signature(h, pc_tls_stop_fn{});
    h = mix_signature(h, pc_tls_close_fn{});
    return h;
}

inline constexpr std::uint64_t kTlsAbi = tls_abi_fingerprint();

// The declarations above and the pointer types pcc looks them up as must not drift apart.
static_assert(std::is_same_v<decltype(&pc_tls_abi), pc_tls_abi_fn>);
static_assert(std::is_same_v<decltype(&pc_tls_open), pc_tls_open_fn>);
static_assert(std::is_same_v<decltype(&pc_tls_send), pc_tls_send_fn>);
static_assert(std::is_same_v<decltype(&pc_tls_response_free), pc_tls_response_free_fn>);
static_assert(std::is_same_v<decltype(&pc_tls_stop), pc_tls_stop_fn>);
static_assert(std::is_same_v<decltype(&pc_tls_close), pc_tls_close_fn>);

}  // namespace pc::client
#endif
