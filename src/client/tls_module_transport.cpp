// HttpTransport over the TLS module's C ABI (tls_module.hpp). pcc links it, so it holds no
// httplib or OpenSSL: only C structs and function pointers into the module.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"
#include "pc/core/error.hpp"

namespace pc::client {

namespace {

pc_tls_bytes bytes(std::string_view text) {
    return {text.data(), text.size()};
}

std::string hex(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016" PRIx64, value);
    return text;
}

// A module must not hand back null data with a length; anything else is its own business.
bool valid(const pc_tls_bytes& b) {
    return b.size == 0 || b.data != nullptr;
}

bool valid(const pc_tls_response& response) {
    if (response.http_status < 100 || response.http_status > 999 || !valid(response.body))
        return false;
    if (response.header_count > 0 && !response.headers) return false;
    for (std::size_t i = 0; i < response.header_count; ++i)
        if (!valid(response.headers[i].name) || !valid(response.headers[i].value)) return false;
    return true;
}

// Out of line: std::to_string inlined at each use costs pcc's size budget more than a call.
[[gnu::noinline]] std::string decimal(long long value) {
    return std::to_string(value);
}

std::string_view text(const pc_tls_bytes& b) {
    return b.size == 0 ? std::string_view() : std::string_view(b.data, b.size);
}

// The caller's streaming callback, called from the module through a C function pointer: an
// exception is kept here and rethrown once the module has returned.
struct StreamContext {
    const DataCallback* on_data;
    std::exception_ptr error;
};

int deliver_data(void* context, const char* data, std::size_t size) noexcept {
    auto* stream = static_cast<StreamContext*>(context);
    try {
        return (*stream->on_data)(std::string_view(data ? data : "", data ? size : 0)) ? 1 : 0;
    } catch (...) {
        stream->error = std::current_exception();
        return 0;
    }
}

class ModuleTransport final : public HttpTransport {
public:
    ModuleTransport(const TlsModuleApi& api, pc_tls_transport* handle, const BaseUrl& base,
                    const HttpClientOptions& options)
        : api_(api), handle_(handle), base_(base), options_(options) {}
    ~ModuleTransport() override { api_.close(handle_); }
    ModuleTransport(const ModuleTransport&) = delete;
    ModuleTransport& operator=(const ModuleTransport&) = delete;

    HttpResult send(const HttpRequest& request) override {
        std::vector<pc_tls_header> headers;
        headers.reserve(request.headers ? request.headers->size() : 0);
        if (request.headers)
            for (const auto& [name, value] : *request.headers)
                headers.push_back({bytes(name), bytes(value)});
        StreamContext stream{request.on_data, nullptr};
        pc_tls_request c_request{};
        c_request.struct_size = sizeof c_request;
        c_request.method = bytes(request.method);
        c_request.path = bytes(request.path);
        c_request.headers = headers.data();
        c_request.header_count = headers.size();
        c_request.body = bytes(request.body);
        c_request.content_type = bytes(request.content_type);
        if (request.on_data) {
            c_request.on_data = deliver_data;
            c_request.on_data_context = &stream;
        }
        Response response(api_);
        const int status = api_.send(handle_, &c_request, &response.c);
        if (stream.error) std::rethrow_exception(stream.error);  // the caller's, on its side
        HttpResult out;
        if (status != PC_TLS_OK) {
            const auto& detail = response.c.detail;
            out.error = describe_tls_status(
                status, std::string_view(detail, ::strnlen(detail, sizeof detail)), base_,
                options_);
            return out;
        }
        if (!valid(response.c)) {
            out.error = "request to " + base_.origin() +
                        " failed (the TLS module returned a malformed answer)";
            return out;
        }
        // The module bounds the body too; this side does not rely on it.
        if (response.c.body.size > options_.max_body) {
            out.error = describe_tls_status(PC_TLS_E_TOO_LARGE, {}, base_, options_);
            return out;
        }
        HttpResponse answer;
        answer.status = response.c.http_status;
        answer.body.assign(text(response.c.body));
        answer.headers.reserve(response.c.header_count);
        for (std::size_t i = 0; i < response.c.header_count; ++i)
            answer.headers.emplace_back(text(response.c.headers[i].name),
                                        text(response.c.headers[i].value));
        out.response = std::move(answer);
        return out;
    }

    void stop() override { api_.stop(handle_); }

private:
    // A response whose memory goes back to the module however send() leaves.
    struct Response {
        explicit Response(const TlsModuleApi& module) : api(module) { c.struct_size = sizeof c; }
        ~Response() { api.response_free(&c); }
        Response(const Response&) = delete;
        Response& operator=(const Response&) = delete;
        const TlsModuleApi& api;
        pc_tls_response c{};
    };

    TlsModuleApi api_;
    pc_tls_transport* handle_;
    BaseUrl base_;
    HttpClientOptions options_;
};

}  // namespace

std::string describe_tls_status(int status, std::string_view detail, const BaseUrl& base,
                                const HttpClientOptions& options) {
    // Words before and after the origin; a table keeps pcc's code small (its size budget).
    struct Wording {
        int status;
        const char* before;
        const char* after;
    };
    static constexpr Wording kWordings[] = {
        {PC_TLS_E_CONNECT, "cannot connect to ", " (is the server running and reachable?)"},
        {PC_TLS_E_CONNECT_TIMEOUT, "timed out connecting to ", ""},
        {PC_TLS_E_READ, "no complete response from ", " (connection closed or read timed out)"},
        {PC_TLS_E_WRITE, "could not send the request to ",
         " (connection closed or write timed out)"},
        {PC_TLS_E_HANDSHAKE, "TLS handshake with ", " failed"},
        {PC_TLS_E_VERIFY, "the certificate of ",
         " failed verification (untrusted issuer or wrong host name; a private CA needs a CA "
         "file)"},
        {PC_TLS_E_CANCELED, "request to ", " was canceled"},
        {PC_TLS_E_DECOMPRESS, "response from ", " could not be decompressed"},
        {PC_TLS_E_BAD_CALL, "request to ", " failed (the TLS module refused the call)"},
        {PC_TLS_E_NO_MEMORY, "request to ", " failed (out of memory in the TLS module)"},
    };
    std::string text;
    auto around_origin = [&](std::string_view before, std::string_view after) {
        text.append(before).append(base.origin()).append(after);
        return text;
    };
    for (const auto& wording : kWordings)
        if (wording.status == status) return around_origin(wording.before, wording.after);
    switch (status) {
        case PC_TLS_E_CA_LOAD:
            text = "cannot load CA certificates";
            if (!options.ca_file.empty()) text.append(" from ").append(options.ca_file);
            return text;
        case PC_TLS_E_TOO_LARGE:
            around_origin("the response from ", " is larger than ");
            return text.append(decimal(static_cast<long long>(options.max_body)))
                .append(" bytes: refused");
        case PC_TLS_E_DEADLINE:
            around_origin("no complete response from ", " within ");
            return text.append(decimal(whole_request_limit(options).count()))
                .append(" ms (the whole request's deadline)");
        case PC_TLS_E_OTHER:
            around_origin("request to ", " failed (");
            return text.append(detail).append(")");
        case PC_TLS_E_INTERNAL:
            around_origin("request to ", " failed inside the TLS module (");
            return text.append(detail.empty() ? "no detail" : detail).append(")");
        default:
            around_origin("request to ", " failed (unknown TLS module status ");
            return text.append(decimal(status)).append(")");
    }
}

void check_tls_module(const TlsModuleApi& api, std::string_view module) {
    const std::pair<bool, const char*> entries[] = {
        {api.abi != nullptr, kTlsAbiSymbol},
        {api.open != nullptr, kTlsOpenSymbol},
        {api.send != nullptr, kTlsSendSymbol},
        {api.response_free != nullptr, kTlsResponseFreeSymbol},
        {api.stop != nullptr, kTlsStopSymbol},
        {api.close != nullptr, kTlsCloseSymbol}};
    for (const auto& [present, name] : entries)
        if (!present)
            throw core::UserError("the TLS module " + std::string(module) + " has no " + name +
                                  " (it does not belong to this pcc: other version)");
    const std::uint64_t abi = api.abi();
    if (abi != kTlsAbi)
        throw core::UserError("the TLS module " + std::string(module) +
                              " does not belong to this pcc (other version: its ABI is " +
                              hex(abi) + ", this pcc needs " + hex(kTlsAbi) + ")");
}

std::unique_ptr<HttpTransport> make_tls_module_transport(const TlsModuleApi& api,
                                                         std::string_view module,
                                                         const BaseUrl& base,
                                                         const HttpClientOptions& options) {
    check_tls_module(api, module);
    // Checked here so the module never has to report it.
    if (base.https() && !options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0)
        throw core::UserError("CA file " + options.ca_file +
                              " cannot be read: " + core::errno_text(errno));
    pc_tls_options c_options{};
    c_options.struct_size = sizeof c_options;
    c_options.scheme = bytes(base.scheme);
    c_options.host = bytes(base.host);
    c_options.port = base.port;
    c_options.connect_timeout_ms = options.connect_timeout.count();
    c_options.read_timeout_ms = options.read_timeout.count();
    c_options.write_timeout_ms = options.write_timeout.count();
    c_options.deadline_ms = options.deadline.count();
    c_options.max_body = options.max_body;
    c_options.ca_file = bytes(options.ca_file);
    c_options.verify_tls = options.verify_tls ? 1 : 0;
    char message[512] = "";
    pc_tls_transport* handle = nullptr;
    const int status = api.open(&c_options, &handle, message, sizeof message);
    if (status != PC_TLS_OK || !handle) {
        if (handle) api.close(handle);
        const std::string_view said(message, ::strnlen(message, sizeof message));
        throw core::UserError("TLS transport: " +
                              std::string(said.empty() ? "the module could not open one" : said));
    }
    try {
        return std::make_unique<ModuleTransport>(api, handle, base, options);
    } catch (...) {
        api.close(handle);
        throw;
    }
}

}  // namespace pc::client
