#include "pc/trickle/trickle_sink.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "pc/api/trickle.hpp"
#include "pc/client/http_transport.hpp"
#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/record/go_json.hpp"
#include "pc/record/identifier.hpp"
#include "pc/trickle/delivery_decision.hpp"
#include "pc/trickle/server_list.hpp"

namespace pc::trickle {

namespace {

// Checked before anything else so a missing key is the first and only complaint.
void check_options(const TrickleOptions& options) {
    if (options.api_key.empty())
        throw core::UserError(
            "PCC_APIKEY is required in trickle mode; set it to a key listed in pcd's apikeys file "
            "(create one with `pcctl apikey generate`), or use PCC_MODE=local");
    if (!record::valid_identifier(options.identifier))
        throw core::UserError(
            "PCC_IDENTIFIER \"" + options.identifier +
            "\" is not a valid identifier; use 1-128 letters, digits, '.', '_' or '-', "
            "not starting with '.'");
    if (options.spool_dir.empty())
        throw core::UserError("PCC_SPOOL is empty; set it to a directory for unsent ticks");
}

std::unique_ptr<client::HttpClient> make_client(const TrickleOptions& options,
                                                const std::string& server_url) {
    client::HttpClientOptions http;
    http.connect_timeout = options.request_timeout;
    http.read_timeout = options.request_timeout;
    http.write_timeout = options.request_timeout;
    // pcd answers a trickle with "{}" or a one-line error: nothing bigger is worth memory on
    // every monitored host (a hostile server sent 10^11 bytes: issue 19, item 2).
    http.max_body = 64 * 1024;
    if (!options.ca_file.empty()) {
        http.ca_file = options.ca_file;
    }
    auto base = client::parse_base_url(server_url, "PCC_SERVER_URL");
    if (base.https() && !options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0)
        throw core::UserError("PCC_CAFILE: CA file " + options.ca_file +
                              " cannot be read: " + core::errno_text(errno));
    // Plain sockets for http://; https:// loads the TLS module (OpenSSL) only now.
    auto transport = client::make_lean_transport(base, http);
    return std::make_unique<client::HttpClient>(std::move(base), http, std::move(transport));
}

// One client per server PCC_SERVER_URL lists, in its order.
std::vector<std::unique_ptr<client::HttpClient>> make_clients(const TrickleOptions& options) {
    check_options(options);
    std::vector<std::unique_ptr<client::HttpClient>> clients;
    for (const auto& url : split_server_list(options.server_url))
        clients.push_back(make_client(options, url));
    return clients;
}

spool::Spool make_spool(const TrickleOptions& options) {
    try {
        return spool::Spool({options.spool_dir, options.spool_max_bytes, nullptr});
    } catch (const core::UserError& e) {
        throw core::UserError(std::string("PCC_SPOOL: ") + e.what());
    }
}

// The "error" string of pcd's {"error":"..."} answers (api::encode_error_body), or nullopt.
// A small scanner rather than a JSON library: it keeps nlohmann out of pcc (docs/performance.md).
std::optional<std::string> error_field(std::string_view body) {
    auto skip_space = [&] {
        while (!body.empty() && (body.front() == ' ' || body.front() == '\t' ||
                                 body.front() == '\n' || body.front() == '\r'))
            body.remove_prefix(1);
    };
    auto take = [&](std::string_view token) {
        skip_space();
        if (body.substr(0, token.size()) != token) return false;
        body.remove_prefix(token.size());
        return true;
    };
    if (!take("{") || !take("\"error\"") || !take(":") || !take("\"")) return std::nullopt;
    std::size_t end = 0;
    while (end < body.size() && body[end] != '"') end += body[end] == '\\' ? 2U : 1U;
    if (end >= body.size()) return std::nullopt;
    return record::decode_json_string_body(body.substr(0, end));
}

// The server's {"error":"..."} text, shortened, or the start of the body.
std::string server_message(const client::HttpResponse& response) {
    std::string text = error_field(response.body).value_or("");
    if (text.empty()) text = response.body;
    if (text.size() > 200) text = text.substr(0, 200) + "...";
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text.empty() ? "no message" : text;
}

std::string describe_status(const client::HttpResponse& response) {
    return "HTTP " + std::to_string(response.status) + " (" + server_message(response) + ")";
}

std::chrono::milliseconds retry_after(const client::HttpResponse& response) {
    const auto value = response.header("Retry-After");
    if (!value) return std::chrono::milliseconds(0);
    long seconds = 0;
    const auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
    if (ec != std::errc() || seconds < 0) return std::chrono::milliseconds(0);
    return std::chrono::seconds(seconds);
}

}  // namespace

TrickleSink::TrickleSink(const TrickleOptions& options)
    : options_(options),
      clients_(make_clients(options)),
      spool_(make_spool(options)),
      backoff_(client::BackoffPolicy{options.retry_initial, options.retry_max, 2.0, 0.5}),
      batch_limit_(std::max<std::size_t>(options.batch_max, 1)) {
    stats_.gzip = options_.gzip;
    std::string servers = client().base().to_string();
    if (clients_.size() > 1) servers += " (then, if it fails, " + server_names(1) + ")";
    spdlog::info(
        "trickle: sending to {} as \"{}\" (key fingerprint {}), spool {}, compression {}, up to {} "
        "ticks "
        "per request",
        servers, options_.identifier, keys::key_fingerprint(options_.api_key),
        options_.spool_dir.string(), options_.gzip ? "gzip" : "none", batch_limit_);
    sender_ = std::thread([this] { run(); });
}

TrickleSink::~TrickleSink() {
    if (!finished_) finish(std::chrono::milliseconds(0));
}

void TrickleSink::write(const record::Tick& tick) {
    Outcome outcome;
    outcome.kind = Outcome::Kind::tick_spooled;
    std::string error;
    try {
        spool_.append(tick);
    } catch (const std::exception& e) {
        outcome.kind = Outcome::Kind::tick_unspoolable;
        error = e.what();
    }
    // Memory is the sender's and does not matter for a tick.
    if (decide(outcome, {}).action == Action::lose_tick) {
        // The sampling loop goes on; this tick is lost and says so.
        spdlog::error("trickle: cannot spool a tick of {} records, it is lost: {}", tick.size(),
                      error);
        std::lock_guard lock(mutex_);
        ++stats_.unspooled_ticks;
        return;
    }
    std::lock_guard lock(mutex_);
    wake_.notify_all();
}

record::SinkReport TrickleSink::report() const {
    std::lock_guard lock(mutex_);
    record::SinkReport r;
    r.delivered = stats_.delivered_ticks;
    r.dropped = spool_.dropped_ticks();
    r.refused = stats_.rejected_ticks;
    r.failed = stats_.unspooled_ticks;
    r.pending = spool_.tick_count();
    r.key_refused = key_refused_;
    return r;
}

TrickleStats TrickleSink::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void TrickleSink::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || spool_.tick_count() > 0; });
            if (stopping_) break;
        }
        try {
            const auto batch = spool_.next_batch(batch_limit_);
            if (!batch) continue;
            if (!deliver(*batch)) break;
        } catch (const std::exception& e) {
            spdlog::error("trickle: spool error: {}", e.what());
            Outcome outcome;
            outcome.kind = Outcome::Kind::spool_error;
            wait_backoff(
                retry_delay(decide(outcome, memory()), backoff_.next(), options_.retry_max));
        }
    }
    std::lock_guard lock(mutex_);
    sender_done_ = true;
    idle_.notify_all();
}

void TrickleSink::wait_backoff(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    // The drain has little time: a delay still running when it begins ends at once (the server
    // may be back by now), and delays during the drain are short.
    const bool drain_had_begun = draining_;
    delay = drain_delay(delay, draining_, options_.retry_initial);
    wake_.wait_for(lock, delay, [&] { return stopping_ || draining_ != drain_had_begun; });
}

void TrickleSink::stop_compressing(const std::string& why) {
    // Permanent for this run: a server that cannot read gzip will not learn it mid-run, and
    // with gzip off this is logged once.
    options_.gzip = false;
    {
        std::lock_guard lock(mutex_);
        stats_.gzip = false;
    }
    spdlog::warn(
        "trickle: the server does not accept gzip bodies ({}); sending uncompressed from "
        "now on",
        why);
}

SenderMemory TrickleSink::memory() const {
    SenderMemory m = memory_;
    m.failed_attempts = backoff_.attempts();
    return m;
}

bool TrickleSink::deliver(const spool::SpoolBatch& batch) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
    }
    const std::string body = batch.request_body(options_.identifier);
    auto post = [&](bool gzip) {
        return client().post(api::kRouteTrickle, body, "application/json",
                             {{"apikey", options_.api_key}}, gzip);
    };
    auto outcome_of = [&](const client::HttpResult& result, bool gzip, bool resent_plain) {
        Outcome outcome;
        outcome.kind = result.has_response() ? Outcome::Kind::answer : Outcome::Kind::no_answer;
        outcome.status = result.status();
        if (result.has_response()) outcome.retry_after = retry_after(*result.response);
        outcome.gzip = gzip;
        outcome.resent_plain = resent_plain;
        outcome.batch_ticks = batch.ticks;
        outcome.servers = clients_.size();
        return outcome;
    };
    auto result = post(options_.gzip);
    auto decision = decide(outcome_of(result, options_.gzip, false), memory());
    std::optional<client::HttpResponse> gzip_refusal;
    if (decision.action == Action::resend_plain) {
        count_failure();
        gzip_refusal = *result.response;
        spdlog::debug("trickle: batch {} got {} with gzip; resending it uncompressed",
                      batch.batch_id, describe_status(*gzip_refusal));
        result = post(false);
        decision = decide(outcome_of(result, false, true), memory());
    }
    carry_out(decision, batch, result, gzip_refusal);
    return true;
}

void TrickleSink::count_failure() {
    std::lock_guard lock(mutex_);
    ++stats_.failed_attempts;
}

void TrickleSink::carry_out(const Decision& decision, const spool::SpoolBatch& batch,
                            const client::HttpResult& result,
                            const std::optional<client::HttpResponse>& gzip_refusal) {
    const std::size_t pending = spool_.tick_count();
    if (decision.failed_attempt) count_failure();
    switch (decision.action) {
        case Action::acknowledge:
            spool_.acknowledge(batch);
            if (decision.stop_gzip)
                stop_compressing(describe_status(*gzip_refusal) +
                                 " to a gzip request, 200 uncompressed; PCC_COMPRESSION=none "
                                 "avoids the rejected first request");
            if (decision.loud)
                spdlog::info("trickle: delivering again after {} failed attempts",
                             backoff_.attempts());
            backoff_.reset();
            remember(decision.memory);
            {
                std::lock_guard lock(mutex_);
                stats_.delivered_ticks += batch.ticks;
                ++stats_.delivered_batches;
                idle_.notify_all();
            }
            return;
        case Action::send_again:  // 415 to a gzip body
            stop_compressing(describe_status(*result.response));
            return;
        case Action::split:
            spool_.unseal(batch);
            batch_limit_ = decision.batch_limit;
            spdlog::warn(
                "trickle: the server found a batch of {} ticks too large ({}); sending at most {} "
                "per request from now on",
                batch.ticks, describe_status(*result.response), batch_limit_);
            return;
        case Action::quarantine:
            quarantine(decision, batch, *result.response, gzip_refusal.has_value());
            return;
        case Action::retry_later:
            break;
        case Action::wake_sender:
        case Action::lose_tick:
        case Action::resend_plain:  // not after a plain resend
            return;
    }
    remember(decision.memory);
    const std::string server = client().base().to_string();
    if (decision.fail_over) {
        // The same batch (and batch_id) goes to the next server: the shared store keeps it once.
        current_ = (current_ + 1) % clients_.size();
        spdlog::warn(
            "trickle: {} failed ({}); {} ticks stay spooled, sending to {} {}", server,
            decision.reason == Reason::network ? result.error : describe_status(*result.response),
            pending, client().base().to_string(),
            decision.immediate ? "now" : "after a wait (every server failed)");
        if (decision.immediate) return;
        wait_backoff(retry_delay(decision, backoff_.next(), options_.retry_max));
        return;
    }
    if (decision.reason == Reason::network) {
        spdlog::warn("trickle: {}; {} ticks stay spooled, retrying (attempt {})", result.error,
                     pending, backoff_.attempts() + 1);
    } else if (decision.reason == Reason::key_refused) {
        // The key may be added to pcd later, so keep retrying.
        // 403 is a known key refused for this identifier (bound to others, or pcd's machine
        // limit reached): the server's message says which; adding the key would not help.
        if (decision.loud)
            spdlog::error(
                "trickle: {} refused PCC_APIKEY (fingerprint {}): {}; {}. {} ticks stay spooled "
                "and are retried",
                server, keys::key_fingerprint(options_.api_key), describe_status(*result.response),
                result.response->status == 403
                    ? "the server's reason above says what to change on pcd"
                    : "add the key to pcd's apikeys file (pcd reloads it on SIGHUP)",
                pending);
    } else if (decision.reason == Reason::wrong_url) {
        if (decision.loud)
            spdlog::error(
                "trickle: {} answered {} to POST {}; check PCC_SERVER_URL. {} ticks stay spooled "
                "and are retried",
                server, describe_status(*result.response), api::kRouteTrickle, pending);
    }
    const auto delay = retry_delay(decision, backoff_.next(), options_.retry_max);
    if (decision.reason == Reason::server_busy)
        spdlog::warn("trickle: {}; {} ticks stay spooled, retrying in {}",
                     describe_status(*result.response), pending, core::format_duration(delay));
    wait_backoff(delay);
}

void TrickleSink::quarantine(const Decision& decision, const spool::SpoolBatch& batch,
                             const client::HttpResponse& response, bool after_gzip_refusal) {
    const std::string reason =
        "HTTP " + std::to_string(response.status) + ": " + server_message(response);
    const auto where = spool_.quarantine(batch, reason);
    {
        std::lock_guard lock(mutex_);
        ++stats_.rejected_batches;
        stats_.rejected_ticks += batch.ticks;
        idle_.notify_all();  // the spool may be empty now: a drain need not wait
    }
    if (decision.reason == Reason::too_large)
        spdlog::error(
            "trickle: the server refuses a single tick as too large ({}); moved it to {} so later "
            "ticks can go (raise PCD_MAXBODY and replay it with pcctl)",
            describe_status(response), where.string());
    else
        spdlog::error("trickle: the server rejected batch {} of {} ticks ({}{}); moved it to {}",
                      batch.batch_id, batch.ticks, describe_status(response),
                      after_gzip_refusal ? ", with gzip and uncompressed" : "", where.string());
}

std::string TrickleSink::server_names(std::size_t from) const {
    std::string names;
    for (std::size_t i = from; i < clients_.size(); ++i)
        names += (names.empty() ? "" : ", ") +
                 clients_[(current_ + i) % clients_.size()]->base().to_string();
    return names;
}

void TrickleSink::remember(const SenderMemory& memory) {
    memory_ = memory;
    std::lock_guard lock(mutex_);
    key_refused_ = memory.key_refused;
}

std::size_t TrickleSink::finish(std::chrono::milliseconds drain_timeout) {
    if (finished_) return spool_.tick_count();
    finished_ = true;
    const auto deadline = std::chrono::steady_clock::now() + drain_timeout;
    {
        std::unique_lock lock(mutex_);
        draining_ = true;
        wake_.notify_all();  // retry now rather than after the current delay
        idle_.wait_until(lock, deadline, [&] { return sender_done_ || spool_.tick_count() == 0; });
        stopping_ = true;
        wake_.notify_all();
    }
    // A request in flight is aborted; repeat in case the sender was just about to start one.
    for (;;) {
        for (auto& c : clients_) c->stop();
        std::unique_lock lock(mutex_);
        if (idle_.wait_for(lock, std::chrono::milliseconds(20), [&] { return sender_done_; }))
            break;
    }
    sender_.join();
    const std::size_t left = spool_.tick_count();
    // pcc itself reports what remains; this adds the sender's counters.
    spdlog::info(
        "trickle: sent {} ticks in {} requests ({} failed attempts, {} batches rejected), {} still "
        "spooled",
        stats_.delivered_ticks, stats_.delivered_batches, stats_.failed_attempts,
        stats_.rejected_batches, left);
    return left;
}

}  // namespace pc::trickle
