#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <sstream>

#include "pc/api/error_body.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/keys/sha256.hpp"
#include "pc/record/identifier.hpp"
#include "pc/server/admin_key.hpp"
#include "pc/server/dashboard.hpp"
#include "pc/server/dashboard_cookie.hpp"
#include "pc/server/dashboard_headers.hpp"
#include "pc/server/dashboard_pages.hpp"
#include "pc/server/dashboard_window.hpp"
#include "pc/server/key_refusal_log.hpp"
#include "pc/server/machine_report.hpp"
#include "pc/server/routes.hpp"
#include "pc/store/store.hpp"

namespace pc::server {

namespace {

constexpr std::string_view kSignIn = "/dashboard/signin";
constexpr std::string_view kSignOut = "/dashboard/signout";
constexpr const char* kHtml = "text/html; charset=utf-8";

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> session_token(const httplib::Request& req) {
    if (!req.has_header("Cookie")) return std::nullopt;
    return cookie_value(req.get_header_value("Cookie"), kSessionCookie);
}

// A live session whose admin key is still accepted. The key is checked at every request, not
// only when the key file is reloaded, so that any source of admin keys ends sessions alike.
bool signed_in(ServerContext& ctx, const httplib::Request& req) {
    Dashboard& dashboard = *ctx.dashboard;
    auto token = session_token(req);
    if (!token) return false;
    auto session = dashboard.sessions.find(*token);
    if (!session) return false;
    if (admin_key_accepted(ctx.keys, session->key_digest)) return true;
    if (dashboard.sessions.end(*token)) {
        spdlog::info(
            "dashboard: ended a session of admin key {} from {}: the key is no longer "
            "an admin key",
            session->key_digest.substr(0, 12), req.remote_addr);
    }
    return false;
}

void send_html(httplib::Response& res, int status, const std::string& html) {
    set_dashboard_headers(res);
    res.status = status;
    res.set_content(html, kHtml);
}

// Data without a session: nothing but the refusal.
void send_unauthorized(httplib::Response& res) {
    set_dashboard_headers(res);
    res.status = 401;
    res.set_content(api::encode_error_body("sign in to the dashboard first (GET /)"),
                    "application/json");
}

void redirect(httplib::Response& res, const std::string& to) {
    set_dashboard_headers(res);
    res.status = 303;
    res.set_header("Location", to);
    res.set_content("see " + to + "\n", "text/plain; charset=utf-8");
}

std::optional<std::string> param(const httplib::Request& req, const char* name) {
    if (!req.has_param(name)) return std::nullopt;
    return req.get_param_value(name);
}

bool from_own_page(const httplib::Request& req) {
    return same_origin_post(req.get_header_value("Origin"), req.get_header_value("Sec-Fetch-Site"),
                            req.get_header_value("Host"));
}

void handle_sign_in(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    Dashboard& dashboard = *ctx.dashboard;
    if (!from_own_page(req)) {
        spdlog::warn("dashboard: sign-in from {} refused: posted from another site (Origin {})",
                     req.remote_addr, req.get_header_value("Origin"));
        return send_html(res, 403,
                         sign_in_page("Refused: this sign-in was not sent from this dashboard's "
                                      "own page. Open the dashboard and sign in there."));
    }
    httplib::Params form;
    httplib::detail::parse_query_text(req.body, form);
    const auto it = form.find("key");
    const std::string key = it == form.end() ? std::string() : std::string(core::trim(it->second));
    if (key.empty()) return send_html(res, 400, sign_in_page("Enter an admin key."));
    const std::string digest = keys::to_hex(keys::sha256(key));
    const std::string fingerprint = digest.substr(0, 12);  // keys::key_fingerprint(key)
    switch (check_admin_key(ctx.keys, key)) {
        case AdminKeyVerdict::admin: {
            const std::string token = dashboard.sessions.create(digest);
            spdlog::info("dashboard: signed in with admin key {} from {} (session for {} s)",
                         fingerprint, req.remote_addr, dashboard.options.session_ttl.count());
            res.set_header("Set-Cookie", session_cookie(token, dashboard.options.session_ttl,
                                                        dashboard.options.secure_cookie));
            return redirect(res, "/");
        }
        case AdminKeyVerdict::machine_key:
            log_key_refusal(
                fmt::format("dashboard sign-in from {} refused a machine API key (fingerprint {})",
                            req.remote_addr, fingerprint));
            return send_html(res, 403,
                             sign_in_page("That is a machine API key: machine keys cannot sign "
                                          "in. Use an admin key (pcd's admin keys file; "
                                          "pcctl apikey generate --admin makes one)."));
        case AdminKeyVerdict::no_admin_keys:
            return send_html(res, 403,
                             sign_in_page("The dashboard is closed: pcd has no admin keys file "
                                          "(PCD_ADMINKEYS_FILE). Create it and send pcd SIGHUP."));
        case AdminKeyVerdict::unknown:
            break;
    }
    log_key_refusal(fmt::format("dashboard sign-in from {}: unknown key (fingerprint {})",
                                req.remote_addr, fingerprint));
    send_html(res, 401, sign_in_page("Unknown admin key."));
}

void handle_sign_out(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    Dashboard& dashboard = *ctx.dashboard;
    if (!from_own_page(req)) {
        return send_html(res, 403,
                         dashboard_error_page("Sign-out refused",
                                              "This sign-out was not sent from the dashboard's "
                                              "own page."));
    }
    if (auto token = session_token(req); token && dashboard.sessions.end(*token)) {
        spdlog::info("dashboard: signed out from {}", req.remote_addr);
    }
    res.set_header("Set-Cookie", cleared_session_cookie(dashboard.options.secure_cookie));
    redirect(res, "/");
}

std::optional<DashboardWindow> window_or_error(const httplib::Request& req, httplib::Response& res,
                                               bool html) {
    auto parsed =
        parse_window(param(req, "window"), param(req, "since"), param(req, "until"), unix_now());
    if (parsed.window) return parsed.window;
    if (html) {
        send_html(res, 400, dashboard_error_page("Bad window", parsed.error));
    } else {
        set_dashboard_headers(res);
        res.status = 400;
        res.set_content(api::encode_error_body(parsed.error), "application/json");
    }
    return std::nullopt;
}

void handle_machine_page(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
    if (!signed_in(ctx, req)) return redirect(res, "/");
    const std::string id = req.matches[1];
    if (!record::valid_identifier(id)) {
        return send_html(
            res, 404, dashboard_error_page("No such machine", "That is not a machine identifier."));
    }
    auto window = window_or_error(req, res, true);
    if (!window) return;
    const store::TimeRange range{window->since, window->until};
    // The report is rendered first to know whether the window holds anything; the note is
    // then part of the banner, so render once more only in that (cheap, empty) case.
    std::ostringstream page;
    auto report = write_machine_report(ctx.store, id, range, machine_banner(id, *window, ""), page);
    if (!report.found) {
        return send_html(
            res, 404,
            dashboard_error_page("No such machine", "pcd stores no machine \"" + id + "\"."));
    }
    if (report.records == 0) {
        page.str("");
        write_machine_report(ctx.store, id, range,
                             machine_banner(id, *window,
                                            "No records in this window: choose a longer one "
                                            "or a range when the machine was sending."),
                             page);
    }
    send_html(res, 200, page.str());
}

void handle_report_download(ServerContext& ctx, const httplib::Request& req,
                            httplib::Response& res) {
    if (!signed_in(ctx, req)) return send_unauthorized(res);
    const std::string id = req.matches[1];
    if (!record::valid_identifier(id)) {
        return send_html(res, 404, dashboard_error_page("No such machine", "Not an identifier."));
    }
    auto window = window_or_error(req, res, false);
    if (!window) return;
    std::ostringstream page;
    auto report = write_machine_report(ctx.store, id,
                                       store::TimeRange{window->since, window->until}, "", page);
    if (!report.found) {
        return send_html(res, 404, dashboard_error_page("No such machine", "Not stored here."));
    }
    send_html(res, 200, page.str());
    res.set_header("Content-Disposition", "attachment; filename=\"" + id + "-" +
                                              std::to_string(window->since) + "-" +
                                              std::to_string(window->until) + ".html\"");
}

void handle_collection_download(ServerContext& ctx, const httplib::Request& req,
                                httplib::Response& res) {
    if (!signed_in(ctx, req)) return send_unauthorized(res);
    const std::string id = req.matches[1];
    if (!record::valid_identifier(id)) {
        set_dashboard_headers(res);
        res.status = 404;
        res.set_content(api::encode_error_body("invalid machine identifier"), "application/json");
        return;
    }
    auto window = window_or_error(req, res, false);
    if (!window) return;
    std::shared_ptr<store::CollectionStream> stream =
        ctx.store.read(id, store::TimeRange{window->since, window->until});
    set_dashboard_headers(res);
    if (!stream) {
        res.status = 404;
        res.set_content(api::encode_error_body("no collection for machine \"" + id + "\""),
                        "application/json");
        return;
    }
    res.set_header("Content-Disposition", "attachment; filename=\"" + id + "-" +
                                              std::to_string(window->since) + "-" +
                                              std::to_string(window->until) + ".json\"");
    res.set_chunked_content_provider("application/x-ndjson",
                                     [stream](std::size_t, httplib::DataSink& sink) {
                                         std::string chunk;
                                         if (stream->next(chunk))
                                             return sink.write(chunk.data(), chunk.size());
                                         sink.done();
                                         return true;
                                     });
}

}  // namespace

bool is_dashboard_post(std::string_view path) {
    return path == kSignIn || path == kSignOut;
}

void install_dashboard_routes(httplib::Server& server, ServerContext& ctx) {
    server.Get("/", [&ctx](const httplib::Request& req, httplib::Response& res) {
        if (signed_in(ctx, req)) {
            return send_html(res, 200, fleet_page(ctx.dashboard->options.refresh_seconds));
        }
        send_html(res, 200, sign_in_page(""));
    });
    server.Post(std::string(kSignIn), [&ctx](const httplib::Request& req, httplib::Response& res) {
        handle_sign_in(ctx, req, res);
    });
    server.Post(std::string(kSignOut), [&ctx](const httplib::Request& req, httplib::Response& res) {
        handle_sign_out(ctx, req, res);
    });
    server.Get("/dashboard/fleet.json",
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   if (!signed_in(ctx, req)) return send_unauthorized(res);
                   const auto now = unix_now();
                   set_dashboard_headers(res);
                   res.set_content(encode_fleet_json(ctx.dashboard->fleet.refresh(now), now),
                                   "application/json");
               });
    server.Get("/dashboard/machine/([^/]+)/collection.json",
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   handle_collection_download(ctx, req, res);
               });
    server.Get("/dashboard/machine/([^/]+)/report.html",
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   handle_report_download(ctx, req, res);
               });
    server.Get("/dashboard/machine/([^/]+)",
               [&ctx](const httplib::Request& req, httplib::Response& res) {
                   handle_machine_page(ctx, req, res);
               });
}

}  // namespace pc::server
