#include "pc/server/routes.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "pc/api/error_body.hpp"
#include "pc/api/machine_admin.hpp"
#include "pc/api/machines.hpp"
#include "pc/api/ping.hpp"
#include "pc/api/trickle.hpp"
#include "pc/core/strings.hpp"
#include "pc/core/version.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/measure/result_format.hpp"
#include "pc/record/identifier.hpp"
#include "pc/server/admin_key.hpp"
#include "pc/server/dashboard.hpp"
#include "pc/server/gzip_inflate.hpp"
#include "pc/server/key_refusal_log.hpp"
#include "pc/server/key_ring.hpp"
#include "pc/server/load_test.hpp"
#include "pc/server/metrics.hpp"
#include "pc/server/peer_watch.hpp"
#include "pc/server/rate_limiter.hpp"
#include "pc/store/store.hpp"

namespace pc::server {

namespace {

// The store's own summaries as the admin API spells them.
std::vector<api::MachineSummary> wire_summaries(const std::vector<store::MachineSummary>& in) {
    std::vector<api::MachineSummary> out;
    out.reserve(in.size());
    for (const auto& m : in) {
        out.push_back(
            {m.identifier, m.records, m.bytes, m.first_timestamp, m.last_timestamp, m.last_seen});
    }
    return out;
}

constexpr const char* kJson = "application/json";

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void send_error(httplib::Response& res, int status, std::string_view message,
                bool close_connection = false) {
    res.status = status;
    res.set_content(api::encode_error_body(message), kJson);
    // The request body may be unread: the connection cannot carry another request.
    if (close_connection) res.set_header("Connection", "close");
}

std::optional<std::string> request_key(const httplib::Request& req) {
    return presented_key(req.get_header_value("apikey"), req.get_header_value("Authorization"),
                         req.get_header_value("X-API-Key"));
}

struct Body {
    std::string text;
    int status = 200;  // not 200: send `error` with this status
    std::string error;
    std::string_view reason;  // metrics label when refused
};

// Reads the body through httplib's streaming reader (which inflates gzip as it goes), counting
// the inflated bytes so a small compressed body cannot expand past the limit in memory.
Body read_body(const httplib::Request& req, const httplib::ContentReader& reader,
               std::uint64_t max_body) {
    Body body;
    std::string encoding = core::to_lower(req.get_header_value("Content-Encoding"));
    if (!encoding.empty() && encoding != "identity" && encoding != "gzip") {
        body.status = 415;
        body.error = "unsupported Content-Encoding \"" + encoding + "\"; send gzip or none";
        body.reason = "encoding";
        return body;
    }
    std::uint64_t length = 0;
    auto length_text = req.get_header_value("Content-Length");
    std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (length > max_body) {
        body.status = 413;
        body.error = "request body of " + std::to_string(length) + " bytes exceeds the limit of " +
                     std::to_string(max_body) + " bytes (PCD_MAXBODY)";
        body.reason = "too_large";
        return body;
    }
    bool too_large = false;
    bool ok = reader([&](const char* data, std::size_t n) {
        if (body.text.size() + n > max_body) {
            too_large = true;
            return false;
        }
        body.text.append(data, n);
        return true;
    });
    if (ok && !too_large && encoding == "gzip" &&
        req.get_header_value("Content-Encoding") != "gzip") {
        // httplib inflates only an exact "gzip"; "GZIP" and the like are ours to inflate.
        std::string inflated;
        switch (gunzip_bounded(body.text, max_body, inflated)) {
            case InflateResult::ok:
                body.text = std::move(inflated);
                break;
            case InflateResult::too_large:
                too_large = true;
                break;
            case InflateResult::invalid:
                ok = false;
                break;
        }
    }
    if (too_large) {
        body.status = 413;
        body.error = "request body exceeds the limit of " + std::to_string(max_body) +
                     " bytes after decompression (PCD_MAXBODY)";
        body.reason = "too_large";
    } else if (!ok) {
        body.status = 400;
        body.error = encoding == "gzip" ? "could not read the body: invalid gzip data"
                                        : "could not read the body";
        body.reason = "bad_request";
    }
    return body;
}

void handle_trickle(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                    const httplib::ContentReader& reader) {
    auto refuse = [&](int status, std::string_view reason, std::string_view message, bool close) {
        ctx.metrics.count_rejected(reason);
        send_error(res, status, message, close);
    };
    auto key = request_key(req);
    if (!key) {
        return refuse(401, "auth",
                      "missing API key: send it in header \"apikey\" (or \"Authorization: "
                      "Bearer <key>\" or \"X-API-Key\")",
                      true);
    }
    const std::string fingerprint = keys::key_fingerprint(*key);
    if (!ctx.keys.api_keys()->contains(*key)) {
        log_key_refusal(fmt::format("trickle from {}: unknown API key (fingerprint {})",
                                    req.remote_addr, fingerprint));
        return refuse(401, "auth", "unknown API key", true);
    }
    if (!ctx.limiter.allow(fingerprint)) {
        res.set_header("Retry-After", "1");
        return refuse(429, "rate_limit", "rate limit exceeded (PCD_RATELIMIT); retry later", true);
    }
    Body body = read_body(req, reader, ctx.max_body);
    if (body.status != 200) return refuse(body.status, body.reason, body.error, true);
    auto decoded = api::decode_trickle_request(body.text);
    if (!decoded.request) return refuse(400, "bad_request", decoded.error, false);
    auto& request = *decoded.request;
    if (!record::valid_identifier(request.identifier)) {
        return refuse(400, "bad_request",
                      "invalid identifier: use 1-128 letters, digits, '.', '_' or '-', not "
                      "starting with '.'",
                      false);
    }
    if (ctx.keys.api_keys()->check(*key, request.identifier) != KeySet::Access::allowed) {
        log_key_refusal(fmt::format("trickle from {}: API key {} may not write identifier {}",
                                    req.remote_addr, fingerprint, request.identifier));
        return refuse(403, "identifier",
                      "this API key (fingerprint " + fingerprint + ") may not write identifier " +
                          request.identifier +
                          ": its line in pcd's apikeys file binds it to other identifiers",
                      false);
    }
    if (request.measurements.empty()) {
        res.set_content("{}", kJson);
        return;
    }
    if (auto outside = find_outside(ctx.timestamps, request.measurements, unix_now())) {
        return refuse(400, "timestamp", *outside, false);
    }
    auto started = std::chrono::steady_clock::now();
    auto outcome = ctx.store.append(request.identifier, request.measurements, request.batch_id);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    switch (outcome.status) {
        case store::AppendOutcome::Status::stored:
            ctx.metrics.count_stored(request.measurements.size(), outcome.bytes, seconds);
            res.set_header("X-PCD-Batch", "stored");
            res.set_content("{}", kJson);
            spdlog::debug("trickle {}: stored {} records ({} bytes) in {:.1f} ms (key {})",
                          request.identifier, request.measurements.size(), outcome.bytes,
                          seconds * 1000, fingerprint);
            return;
        case store::AppendOutcome::Status::duplicate:
            ctx.metrics.count_duplicate();
            res.set_header("X-PCD-Batch", "duplicate");
            res.set_content("{}", kJson);
            spdlog::info("trickle {}: batch {} already stored, not stored again",
                         request.identifier, request.batch_id.value_or(""));
            return;
        case store::AppendOutcome::Status::too_many_machines:
            // Final for this pcd until an operator acts; the agent keeps the batch spooled.
            return refuse(403, "too_many_machines", outcome.error, false);
        case store::AppendOutcome::Status::failed:
            // Temporary (disk full, I/O error, database down): the agent keeps the batch and
            // retries it.
            ctx.metrics.count_store_failure();
            res.set_header("Retry-After", "5");
            return refuse(503, "storage", outcome.error, false);
    }
}

void handle_ping(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader* reader) {
    api::PingResponse out{0, unix_now()};
    if (reader) {
        Body body = read_body(req, *reader, std::min<std::uint64_t>(ctx.max_body, 64 * 1024));
        if (body.status != 200) return send_error(res, body.status, body.error, true);
        if (!body.text.empty()) {
            auto ping = api::decode_ping_request(body.text);
            if (!ping) {
                return send_error(res, 400, "ping body must be {\"timestamp\":<integer>}");
            }
            out.origin_timestamp = ping->timestamp;
        }
    }
    res.set_content(api::encode_ping_response(out), kJson);
}

// Admin routes: an admin key, and only an admin key.
bool authorize_admin(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    auto key = request_key(req);
    if (!key) {
        send_error(res, 401,
                   "missing admin key: send it in header \"apikey\" (or "
                   "\"Authorization: Bearer <key>\" or \"X-API-Key\")");
        return false;
    }
    switch (check_admin_key(ctx.keys, *key)) {
        case AdminKeyVerdict::admin:
            return true;
        case AdminKeyVerdict::no_admin_keys:
            send_error(res, 403, "admin routes are disabled: the server has no admin keys file");
            return false;
        case AdminKeyVerdict::machine_key:
            log_key_refusal(
                fmt::format("admin route {} refused a machine API key (fingerprint {}) "
                            "from {}",
                            req.path, keys::key_fingerprint(*key), req.remote_addr));
            send_error(res, 403, "machine API keys cannot use admin routes; use an admin key");
            return false;
        case AdminKeyVerdict::unknown:
            break;
    }
    log_key_refusal(fmt::format("admin route {}: unknown key (fingerprint {}) from {}", req.path,
                                keys::key_fingerprint(*key), req.remote_addr));
    send_error(res, 401, "unknown admin key");
    return false;
}

std::optional<std::optional<std::int64_t>> time_param(const httplib::Request& req,
                                                      const char* name) {
    if (!req.has_param(name)) return std::optional<std::int64_t>{};
    auto text = req.get_param_value(name);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return std::optional<std::int64_t>{value};
}

void handle_collection(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    if (!authorize_admin(ctx, req, res)) return;
    std::string id = req.matches[1];
    if (!record::valid_identifier(id)) return send_error(res, 400, "invalid machine identifier");
    auto since = time_param(req, "since");
    auto until = time_param(req, "until");
    if (!since || !until) {
        return send_error(res, 400, "since and until must be integer Unix timestamps (seconds)");
    }
    std::shared_ptr<store::CollectionStream> stream;
    try {
        stream = ctx.store.read(id, store::TimeRange{*since, *until});
        if (!stream) return send_error(res, 404, "no collection for machine \"" + id + "\"");
    } catch (const std::exception& e) {
        spdlog::error("collection {}: {}", id, e.what());
        return send_error(res, 500, "cannot read the collection");
    }
    res.set_chunked_content_provider("application/x-ndjson",
                                     [stream](std::size_t, httplib::DataSink& sink) {
                                         std::string chunk;
                                         if (stream->next(chunk))
                                             return sink.write(chunk.data(), chunk.size());
                                         sink.done();
                                         return true;
                                     });
}

// POST /v1/loadtest: a machine or an admin key; body {} or empty.
void handle_load_test(ServerContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& reader) {
    auto key = request_key(req);
    if (!key) {
        return send_error(res, 401,
                          "missing API key: send a machine or admin key in header \"apikey\" (or "
                          "\"Authorization: Bearer <key>\" or \"X-API-Key\")",
                          true);
    }
    const std::string fingerprint = keys::key_fingerprint(*key);
    auto admin = ctx.keys.admin_keys();
    if (!ctx.keys.api_keys()->contains(*key) && !(admin && admin->contains(*key))) {
        log_key_refusal(fmt::format("loadtest from {}: unknown key (fingerprint {})",
                                    req.remote_addr, fingerprint));
        return send_error(res, 401, "unknown API key", true);
    }
    Body body = read_body(req, reader, std::min<std::uint64_t>(ctx.max_body, 64 * 1024));
    if (body.status != 200) return send_error(res, body.status, body.error, true);
    if (!core::trim(body.text).empty()) {
        auto j = nlohmann::json::parse(body.text, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return send_error(res, 400, "the load test's body must be {} or empty");
        }
    }
    spdlog::info("loadtest from {} (key {}): starting, {:.0f} s", req.remote_addr, fingerprint,
                 std::chrono::duration<double>(ctx.load_test->total_length()).count());
    LoadTest::Outcome outcome;
    try {
        outcome = ctx.load_test->run(peer_hung_up);
    } catch (const std::exception& e) {
        spdlog::error("loadtest: {}", e.what());
        return send_error(res, 500, e.what());
    }
    if (outcome.busy_seconds_left) {
        res.set_header("Retry-After", std::to_string(*outcome.busy_seconds_left));
        return send_error(res, 409,
                          "a load test is already running; it has about " +
                              std::to_string(*outcome.busy_seconds_left) + " s left");
    }
    auto& result = *outcome.result;
    if (outcome.client_gone) {
        spdlog::info("loadtest from {}: stopped after {} level(s): the client hung up",
                     req.remote_addr, result.results.size());
        return send_error(res, 499, result.error, true);
    }
    if (!result.error.empty()) {
        spdlog::info("loadtest from {}: stopped after {} level(s): {}", req.remote_addr,
                     result.results.size(), result.error);
        res.status = 503;
    } else {
        spdlog::info("loadtest from {}: {} cores, {} units at {}%, {} units/s", req.remote_addr,
                     result.num_cores, result.results.back().work_units,
                     result.results.back().busy_pct, result.units_per_sec);
    }
    res.set_content(measure::encode_json(result), kJson);
}

std::optional<store::MachineSummary> summary_of(store::Store& store, std::string_view id) {
    try {
        for (auto& m : store.machines()) {
            if (m.identifier == id) return m;
        }
    } catch (const std::exception& e) {
        spdlog::error("machine {}: cannot read its summary: {}", id, e.what());
    }
    return std::nullopt;
}

void handle_trim(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    if (!authorize_admin(ctx, req, res)) return;
    std::string id = req.matches[1];
    if (!record::valid_identifier(id)) return send_error(res, 400, "invalid machine identifier");
    auto before = time_param(req, "before");
    if (!before || !*before) {
        return send_error(res, 400,
                          "before is required: an integer Unix timestamp (seconds); the batches "
                          "whose records are all older are removed");
    }
    std::optional<store::TrimResult> result;
    try {
        result = ctx.store.trim(id, **before);
    } catch (const std::exception& e) {
        spdlog::error("trim {}: {}", id, e.what());
        return send_error(res, 503, std::string("trim failed, nothing was removed: ") + e.what());
    }
    if (!result) return send_error(res, 404, "no collection for machine \"" + id + "\"");
    auto left = summary_of(ctx.store, id).value_or(store::MachineSummary{});
    spdlog::info("admin: trimmed {} before {}: {} records removed (from {})", id, **before,
                 result->records, req.remote_addr);
    res.set_content(api::encode_trim_response({id, **before, result->batches, result->records,
                                               result->bytes, left.records, left.bytes}),
                    kJson);
}

void handle_delete(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    if (!authorize_admin(ctx, req, res)) return;
    std::string id = req.matches[1];
    if (!record::valid_identifier(id)) return send_error(res, 400, "invalid machine identifier");
    std::optional<store::MachineSummary> removed;
    try {
        removed = ctx.store.remove(id);
    } catch (const std::exception& e) {
        spdlog::error("delete {}: {}", id, e.what());
        return send_error(res, 503, std::string("delete failed: ") + e.what());
    }
    if (!removed) return send_error(res, 404, "no collection for machine \"" + id + "\"");
    spdlog::info("admin: deleted machine {} ({} records, from {})", id, removed->records,
                 req.remote_addr);
    res.set_content(api::encode_delete_response({id, removed->records, removed->bytes}), kJson);
}

std::string status_text(int status) {
    switch (status) {
        case 400:
            return "bad request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not found";
        case 405:
            return "method not allowed";
        case 413:
            return "request too large";
        case 414:
            return "request URI too long";
        case 415:
            return "unsupported media type";
        case 431:
            return "request header fields too large";
        case 500:
            return "internal error";
        case 503:
            return "service unavailable";
        default:
            return "HTTP status " + std::to_string(status);
    }
}

bool is_post_route(const ServerContext& ctx, std::string_view path) {
    if (path == api::kRoutePing || path == api::kRouteTrickle) return true;
    if (ctx.load_test && path == api::kRouteLoadTest) return true;
    if (ctx.dashboard && is_dashboard_post(path)) return true;
    auto label = route_label(path);
    return label == "/v1/machines/{id}/trim" || label == "/v1/machines/{id}/delete";
}

}  // namespace

void install_routes(httplib::Server& server, ServerContext& ctx) {
    server.set_payload_max_length(ctx.max_body);
    server.set_keep_alive_max_count(1000000);
    server.set_keep_alive_timeout(5);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    server.set_tcp_nodelay(true);

    // Bodies sent anywhere but the two POST routes would be read (and inflated) by httplib
    // before it finds no route: refuse them first, without reading.
    server.set_pre_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
        if (req.method == "GET" || req.method == "HEAD")
            return httplib::Server::HandlerResponse::Unhandled;
        if (req.method == "POST" && is_post_route(ctx, req.path)) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        const auto label = route_label(req.path);
        const bool dashboard_path = label == "/" || label.starts_with("/dashboard/");
        bool known =
            is_post_route(ctx, req.path) || (label != "other" && req.path != api::kRouteLoadTest &&
                                             (ctx.dashboard || !dashboard_path));
        send_error(res, known ? 405 : 404,
                   (known ? "method " + req.method + " not allowed on " : "no route ") + req.path,
                   true);
        return httplib::Server::HandlerResponse::Handled;
    });

    server.Post(
        std::string(api::kRouteTrickle),
        [&ctx](const httplib::Request& req, httplib::Response& res,
               const httplib::ContentReader& reader) { handle_trickle(ctx, req, res, reader); });
    server.Post(
        std::string(api::kRoutePing),
        [&ctx](const httplib::Request& req, httplib::Response& res,
               const httplib::ContentReader& reader) { handle_ping(ctx, req, res, &reader); });
    if (ctx.load_test) {
        server.Post(std::string(api::kRouteLoadTest),
                    [&ctx](const httplib::Request& req, httplib::Response& res,
                           const httplib::ContentReader& reader) {
                        handle_load_test(ctx, req, res, reader);
                    });
    }
    server.Get(std::string(api::kRoutePing),
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   handle_ping(ctx, req, res, nullptr);
               });
    server.Get(
        std::string(api::kRouteVersion), [](const httplib::Request&, httplib::Response& res) {
            res.set_content(
                "{\"name\":\"pcd\",\"version\":\"" + std::string(core::version()) + "\"}", kJson);
        });
    server.Get(std::string(api::kRouteHealth),
               [&ctx](const httplib::Request&, httplib::Response& res) {
                   auto health = ctx.metrics.health(ctx.store.machine_count());
                   if (auto problem = ctx.store.problem()) {
                       health.status = "degraded";
                       health.reason = *problem;
                   }
                   res.set_content(api::encode_health(health), kJson);
               });
    server.Get(std::string(api::kRouteMetrics),
               [&ctx](const httplib::Request&, httplib::Response& res) {
                   // Without the per-machine series while the store cannot be read: the counters
                   // still show what is failing.
                   std::vector<store::MachineSummary> machines;
                   try {
                       machines = ctx.store.machines();
                   } catch (const std::exception& e) {
                       spdlog::debug("metrics: machines unavailable: {}", e.what());
                   }
                   res.set_content(ctx.metrics.prometheus_text(machines),
                                   "text/plain; version=0.0.4; charset=utf-8");
               });
    server.Get(std::string(api::kRouteMachines),
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   if (!authorize_admin(ctx, req, res)) return;
                   std::vector<store::MachineSummary> machines;
                   try {
                       machines = ctx.store.machines();
                   } catch (const std::exception& e) {
                       spdlog::error("machines: {}", e.what());
                       res.set_header("Retry-After", "5");
                       return send_error(res, 503, "the store cannot be read now; retry later");
                   }
                   res.set_content(api::encode_machines(wire_summaries(machines)), kJson);
               });
    server.Post(std::string(api::kRouteMachines) + "/([^/]+)/trim",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                    handle_trim(ctx, req, res);
                });
    server.Post(std::string(api::kRouteMachines) + "/([^/]+)/delete",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                    handle_delete(ctx, req, res);
                });
    server.Get(std::string(api::kRouteMachines) + "/([^/]+)/collection",
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   handle_collection(ctx, req, res);
               });

    if (ctx.dashboard) install_dashboard_routes(server, ctx);

    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        std::string message = status_text(res.status);
        if (res.status == 404) message = "no route " + req.method + " " + req.path;
        res.set_content(api::encode_error_body(message), kJson);
    });
    server.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown exception";
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            spdlog::error("{} {}: {}", req.method, req.path, what);
            send_error(res, 500, "internal error");
        });
    server.set_logger([&ctx](const httplib::Request& req, const httplib::Response& res) {
        ctx.metrics.count_request(route_label(req.path), res.status);
        if (spdlog::should_log(spdlog::level::trace)) {
            spdlog::trace("{} {} {} -> {}", req.remote_addr, req.method, req.path, res.status);
        }
    });
}

}  // namespace pc::server
