// The caller's side of the TLS module's C ABI against a fake module written here: statuses
// become the right errors, a module that fails half-way or breaks its bound leaves a clean
// transport error and gets all its memory back, a module of another ABI is refused.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pc/client/http_client.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/client/tls_module.hpp"
#include "pc/core/error.hpp"

using pc::client::HttpClient;
using pc::client::HttpClientOptions;
using pc::client::TlsModuleApi;

namespace {

// What the fake module saw and did. Its entry points are plain C functions, so the test
// steers them through this one global.
struct Fake {
    std::uint64_t abi = pc::client::kTlsAbi;
    int open_status = PC_TLS_OK;
    std::string open_message;
    // Fills the response (through `answer`) and returns a status; defaults to a 200 "ok".
    std::function<int(const pc_tls_request&, pc_tls_response&)> send;
    int opens = 0, closes = 0, stops = 0, sends = 0, frees = 0;
    int allocations = 0, releases = 0;  // module memory handed out / given back
    pc_tls_options options{};           // its buffers are valid during the call only: see host
    std::string host, method, path, body, content_type;
    std::vector<std::pair<std::string, std::string>> headers;
};

Fake* fake = nullptr;
pc_tls_transport* const kHandle = reinterpret_cast<pc_tls_transport*>(0x1234);

// The module-owned memory of one answer.
struct Answer {
    std::string body;
    std::vector<std::pair<std::string, std::string>> header_text;
    std::vector<pc_tls_header> headers;
};

void answer(pc_tls_response& response, int status, std::string body,
            std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto* a = new Answer{std::move(body), std::move(headers), {}};
    ++fake->allocations;
    for (const auto& [k, v] : a->header_text)
        a->headers.push_back({{k.data(), k.size()}, {v.data(), v.size()}});
    response.http_status = status;
    response.body = {a->body.data(), a->body.size()};
    response.headers = a->headers.data();
    response.header_count = a->headers.size();
    response.module_state = a;
}

uint64_t fake_abi() {
    return fake->abi;
}

int32_t fake_open(const pc_tls_options* options, pc_tls_transport** out, char* message,
                  size_t size) {
    ++fake->opens;
    fake->options = *options;
    fake->host.assign(options->host.data, options->host.size);
    if (fake->open_status != PC_TLS_OK) {
        std::snprintf(message, size, "%s", fake->open_message.c_str());
        return fake->open_status;
    }
    *out = kHandle;
    return PC_TLS_OK;
}

int32_t fake_send(pc_tls_transport* transport, const pc_tls_request* request,
                  pc_tls_response* response) {
    ++fake->sends;
    EXPECT_EQ(transport, kHandle);
    EXPECT_EQ(request->struct_size, sizeof(pc_tls_request));
    EXPECT_EQ(response->struct_size, sizeof(pc_tls_response));
    fake->method.assign(request->method.data, request->method.size);
    fake->path.assign(request->path.data, request->path.size);
    fake->body.assign(request->body.data, request->body.size);
    fake->content_type.assign(request->content_type.data, request->content_type.size);
    fake->headers.clear();
    for (std::size_t i = 0; i < request->header_count; ++i)
        fake->headers.emplace_back(
            std::string(request->headers[i].name.data, request->headers[i].name.size),
            std::string(request->headers[i].value.data, request->headers[i].value.size));
    if (fake->send) return fake->send(*request, *response);
    answer(*response, 200, "ok");
    return PC_TLS_OK;
}

void fake_response_free(pc_tls_response* response) {
    ++fake->frees;
    if (response->module_state) ++fake->releases;
    delete static_cast<Answer*>(response->module_state);
    response->module_state = nullptr;
}

void fake_stop(pc_tls_transport*) {
    ++fake->stops;
}

void fake_close(pc_tls_transport* transport) {
    EXPECT_EQ(transport, kHandle);
    ++fake->closes;
}

constexpr TlsModuleApi kFakeApi{fake_abi,           fake_open, fake_send,
                                fake_response_free, fake_stop, fake_close};

class TlsModuleTransport : public ::testing::Test {
protected:
    void SetUp() override { fake = &state; }
    void TearDown() override {
        EXPECT_EQ(state.allocations, state.releases) << "module memory not given back";
        EXPECT_EQ(state.frees, state.sends) << "a send without its response_free";
        fake = nullptr;
    }
    std::unique_ptr<HttpClient> client(HttpClientOptions options = {}) {
        const auto base = pc::client::parse_base_url("https://collector.example:8443/pcd");
        return std::make_unique<HttpClient>(
            base, options,
            pc::client::make_tls_module_transport(kFakeApi, "fake.so", base, options));
    }
    Fake state;
};

}  // namespace

TEST_F(TlsModuleTransport, RequestAndAnswerCrossAsPlainBuffers) {
    state.send = [](const pc_tls_request&, pc_tls_response& response) {
        answer(response, 201, std::string("a\0b", 3), {{"X-One", "1"}, {"Retry-After", "7"}});
        return PC_TLS_OK;
    };
    HttpClientOptions options;
    options.connect_timeout = std::chrono::milliseconds(1500);
    options.deadline = std::chrono::milliseconds(9000);
    options.max_body = 4096;
    options.verify_tls = true;
    {
        auto c = client(options);
        EXPECT_EQ(state.options.struct_size, sizeof(pc_tls_options));
        EXPECT_EQ(state.host, "collector.example");
        EXPECT_EQ(state.options.port, 8443);
        EXPECT_EQ(state.options.connect_timeout_ms, 1500);
        EXPECT_EQ(state.options.deadline_ms, 9000);
        EXPECT_EQ(state.options.max_body, 4096u);
        EXPECT_EQ(state.options.verify_tls, 1);
        const auto r = c->post("/v1/trickle", "{\"x\":1}", "application/json", {{"apikey", "k"}});
        ASSERT_TRUE(r.has_response()) << r.error;
        EXPECT_EQ(r.status(), 201);
        EXPECT_EQ(r.response->body, std::string("a\0b", 3));
        EXPECT_EQ(r.response->header("retry-after").value_or(""), "7");
        EXPECT_EQ(state.method, "POST");
        EXPECT_EQ(state.path, "/pcd/v1/trickle");
        EXPECT_EQ(state.body, "{\"x\":1}");
        EXPECT_EQ(state.content_type, "application/json");
        ASSERT_FALSE(state.headers.empty());
        EXPECT_EQ(state.headers[0], (std::pair<std::string, std::string>{"apikey", "k"}));
        c->stop();
        EXPECT_EQ(state.stops, 1);
    }
    EXPECT_EQ(state.opens, 1);
    EXPECT_EQ(state.closes, 1);
}

TEST_F(TlsModuleTransport, EveryStatusBecomesItsError) {
    struct Case {
        int status;
        const char* detail;
        const char* expected;
    };
    const Case cases[] = {
        {PC_TLS_E_CONNECT, "", "cannot connect to https://collector.example:8443"},
        {PC_TLS_E_CONNECT_TIMEOUT, "", "timed out connecting to https://collector.example:8443"},
        {PC_TLS_E_READ, "", "no complete response from https://collector.example:8443"},
        {PC_TLS_E_WRITE, "", "could not send the request"},
        {PC_TLS_E_HANDSHAKE, "", "TLS handshake with https://collector.example:8443 failed"},
        {PC_TLS_E_CA_LOAD, "", "cannot load CA certificates"},
        {PC_TLS_E_VERIFY, "", "failed verification"},
        {PC_TLS_E_CANCELED, "", "was canceled"},
        {PC_TLS_E_DECOMPRESS, "", "could not be decompressed"},
        {PC_TLS_E_TOO_LARGE, "", "is larger than 1048576 bytes: refused"},
        {PC_TLS_E_DEADLINE, "", "within 15000 ms (the whole request's deadline)"},
        {PC_TLS_E_OTHER, "SSL peer closed", "failed (SSL peer closed)"},
        {PC_TLS_E_BAD_CALL, "", "the TLS module refused the call"},
        {PC_TLS_E_NO_MEMORY, "", "out of memory in the TLS module"},
        {PC_TLS_E_INTERNAL, "std::logic_error", "inside the TLS module (std::logic_error)"},
        {77, "", "unknown TLS module status 77"},
    };
    auto c = client();
    for (const auto& test : cases) {
        state.send = [&](const pc_tls_request&, pc_tls_response& response) {
            std::snprintf(response.detail, sizeof response.detail, "%s", test.detail);
            return test.status;
        };
        const auto r = c->post("/v1/trickle", "{}", "application/json", {{"apikey", "secret-1"}});
        EXPECT_FALSE(r.has_response()) << test.status;
        EXPECT_EQ(r.error.rfind("POST https://collector.example:8443/pcd/v1/trickle: ", 0), 0u)
            << r.error;
        EXPECT_NE(r.error.find(test.expected), std::string::npos) << test.status << ": " << r.error;
        EXPECT_EQ(r.error.find("secret-1"), std::string::npos) << r.error;
    }
}

TEST_F(TlsModuleTransport, ModuleFailingHalfWayGivesACleanErrorAndItsMemoryBack) {
    // Part of a streamed body arrives, the module holds an answer, then the connection drops.
    state.send = [](const pc_tls_request& request, pc_tls_response& response) {
        EXPECT_EQ(request.on_data(request.on_data_context, "part", 4), 1);
        answer(response, 200, "half");
        return PC_TLS_E_READ;
    };
    auto c = client();
    std::string streamed;
    const auto r = c->get_streaming("/v1/fetch", {}, [&](std::string_view data) {
        streamed.append(data);
        return true;
    });
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("no complete response"), std::string::npos) << r.error;
    EXPECT_EQ(streamed, "part");
    EXPECT_EQ(state.allocations, 1);
    // The next request goes on as if nothing happened.
    state.send = nullptr;
    const auto again = c->get("/v1/ping");
    ASSERT_TRUE(again.has_response()) << again.error;
    EXPECT_EQ(again.response->body, "ok");
}

TEST_F(TlsModuleTransport, BodyPastTheBoundIsRefusedEvenWhenTheModuleLetsItThrough) {
    state.send = [](const pc_tls_request&, pc_tls_response& response) {
        answer(response, 200, std::string(2048, 'x'));
        return PC_TLS_OK;
    };
    HttpClientOptions options;
    options.max_body = 1024;
    auto c = client(options);
    const auto r = c->post("/v1/trickle", "{}", "application/json");
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("larger than 1024 bytes"), std::string::npos) << r.error;
}

TEST_F(TlsModuleTransport, MalformedAnswerIsATransportError) {
    state.send = [](const pc_tls_request&, pc_tls_response& response) {
        answer(response, 200, "");
        response.body = {nullptr, 10};  // a length without data
        return PC_TLS_OK;
    };
    auto c = client();
    auto r = c->get("/v1/ping");
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("malformed answer"), std::string::npos) << r.error;
    state.send = [](const pc_tls_request&, pc_tls_response& response) {
        answer(response, 0, "");  // no HTTP status
        return PC_TLS_OK;
    };
    r = c->get("/v1/ping");
    EXPECT_FALSE(r.has_response());
    EXPECT_NE(r.error.find("malformed answer"), std::string::npos) << r.error;
}

TEST_F(TlsModuleTransport, CallbackExceptionStaysOnTheCallersSide) {
    state.send = [](const pc_tls_request& request, pc_tls_response& response) {
        // The trampoline must catch and report abort, never let the exception into the module.
        EXPECT_EQ(request.on_data(request.on_data_context, "x", 1), 0);
        answer(response, 200, "");
        return PC_TLS_E_CANCELED;
    };
    auto c = client();
    EXPECT_THROW(
        c->get_streaming("/v1/fetch", {},
                         [](std::string_view) -> bool { throw std::runtime_error("disk full"); }),
        std::runtime_error);
}

TEST_F(TlsModuleTransport, ModuleOfAnotherAbiIsRefusedClearly) {
    state.abi = pc::client::kTlsAbi ^ 1;
    try {
        client();
        FAIL() << "a module of another ABI was accepted";
    } catch (const pc::core::UserError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("the TLS module fake.so does not belong to this pcc (other version"),
                  std::string::npos)
            << what;
    }
    EXPECT_EQ(state.opens, 0);
}

TEST_F(TlsModuleTransport, ModuleWithoutAnEntryPointIsRefused) {
    auto api = kFakeApi;
    api.response_free = nullptr;
    const auto base = pc::client::parse_base_url("https://h");
    try {
        pc::client::make_tls_module_transport(api, "old.so", base, {});
        FAIL() << "a module without pc_tls_response_free was accepted";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("old.so has no pc_tls_response_free"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(TlsModuleTransport, OpenFailureIsAUserErrorWithTheModulesWords) {
    state.open_status = PC_TLS_E_INTERNAL;
    state.open_message = "no OpenSSL for you";
    EXPECT_THROW(
        {
            try {
                client();
            } catch (const pc::core::UserError& e) {
                EXPECT_STREQ(e.what(), "TLS transport: no OpenSSL for you");
                throw;
            }
        },
        pc::core::UserError);
    EXPECT_EQ(state.closes, 0);
}

// The real entry points (linked in, as pcctl uses them) check what they are given.
TEST(TlsModuleEntryPoints, RefuseStructsOfAnotherSize) {
    EXPECT_EQ(pc_tls_abi(), pc::client::kTlsAbi);
    pc_tls_options options{};
    options.struct_size = sizeof options - 8;
    pc_tls_transport* transport = nullptr;
    char message[128] = "";
    EXPECT_EQ(pc_tls_open(&options, &transport, message, sizeof message), PC_TLS_E_BAD_CALL);
    EXPECT_EQ(transport, nullptr);
    EXPECT_NE(std::strstr(message, "another ABI"), nullptr) << message;

    const std::string host = "127.0.0.1";
    options = {};
    options.struct_size = sizeof options;
    options.scheme = {"http", 4};
    options.host = {host.data(), host.size()};
    options.port = 1;
    options.connect_timeout_ms = options.read_timeout_ms = options.write_timeout_ms = 1000;
    options.max_body = 100;
    ASSERT_EQ(pc_tls_open(&options, &transport, message, sizeof message), PC_TLS_OK) << message;
    pc_tls_request request{};
    request.struct_size = sizeof request + 1;
    pc_tls_response response{};
    response.struct_size = sizeof response;
    EXPECT_EQ(pc_tls_send(transport, &request, &response), PC_TLS_E_BAD_CALL);
    pc_tls_response_free(&response);
    EXPECT_EQ(response.module_state, nullptr);
    EXPECT_EQ(pc_tls_send(transport, nullptr, &response), PC_TLS_E_BAD_CALL);
    pc_tls_close(transport);
}
