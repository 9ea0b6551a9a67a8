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

namespace pc::trickle {

namespace {

// Checked before anything else so a missing key is the first and only complaint.
client::HttpClient make_client(const TrickleOptions& options) {
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
    auto base = client::parse_base_url(options.server_url, "PCC_SERVER_URL");
    if (base.https() && !options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0)
        throw core::UserError("PCC_CAFILE: CA file " + options.ca_file +
                              " cannot be read: " + core::errno_text(errno));
    // Plain sockets for http://; https:// loads the TLS module (OpenSSL) only now.
    auto transport = client::make_lean_transport(base, http);
    return client::HttpClient(std::move(base), http, std::move(transport));
}

spool::Spool make_spool(const TrickleOptions& options) {
    try {
        return spool::Spool({options.spool_dir, options.spool_max_bytes});
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
    while (end < body.size() && body[end] != '"') end += body[end] == '\\' ? 2 : 1;
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
      client_(make_client(options)),
      spool_(make_spool(options)),
      backoff_(client::BackoffPolicy{options.retry_initial, options.retry_max, 2.0, 0.5}),
      batch_limit_(std::max<std::size_t>(options.batch_max, 1)) {
    stats_.gzip = options_.gzip;
    spdlog::info(
        "trickle: sending to {} as \"{}\" (key fingerprint {}), spool {}, compression {}, up to {} "
        "ticks "
        "per request",
        client_.base().to_string(), options_.identifier, keys::key_fingerprint(options_.api_key),
        options_.spool_dir.string(), options_.gzip ? "gzip" : "none", batch_limit_);
    sender_ = std::thread([this] { run(); });
}

TrickleSink::~TrickleSink() {
    if (!finished_) finish(std::chrono::milliseconds(0));
}

void TrickleSink::write(const record::Tick& tick) {
    try {
        spool_.append(tick);
    } catch (const std::exception& e) {
        // The sampling loop goes on; this tick is lost and says so.
        spdlog::error("trickle: cannot spool a tick of {} records, it is lost: {}", tick.size(),
                      e.what());
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
        std::optional<spool::SpoolBatch> batch;
        Next next = Next::back_off;
        try {
            batch = spool_.next_batch(batch_limit_);
            if (!batch) continue;
            next = deliver(*batch);
        } catch (const std::exception& e) {
            spdlog::error("trickle: spool error: {}", e.what());
        }
        if (next == Next::stop) break;
        if (next == Next::back_off) wait_backoff(backoff_.next());
    }
    std::lock_guard lock(mutex_);
    sender_done_ = true;
    idle_.notify_all();
}

void TrickleSink::wait_backoff(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    // The drain has little time: a delay still running when it begins ends at once (the server
    // may be back by now), and delays during the drain are at most retry_initial.
    const bool drain_had_begun = draining_;
    if (draining_) delay = std::min(delay, options_.retry_initial);
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

TrickleSink::Next TrickleSink::deliver(const spool::SpoolBatch& batch) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return Next::stop;
    }
    const std::string body = batch.request_body(options_.identifier);
    auto post = [&](bool gzip) {
        return client_.post(api::kRouteTrickle, body, "application/json",
                            {{"apikey", options_.api_key}}, gzip);
    };
    auto count_failure = [&] {
        std::lock_guard lock(mutex_);
        ++stats_.failed_attempts;
    };
    auto result = post(options_.gzip);
    // A server that reads plain JSON only (presumably the original pcd) fails to decode a gzip
    // body and answers 400, not 415: the same batch goes once more uncompressed to tell a
    // refused encoding from refused content.
    std::optional<client::HttpResponse> gzip_refusal;
    if (options_.gzip && result.has_response() && result.response->status == 400) {
        count_failure();
        gzip_refusal = *result.response;
        spdlog::debug("trickle: batch {} got {} with gzip; resending it uncompressed",
                      batch.batch_id, describe_status(*gzip_refusal));
        result = post(false);
    }
    const std::size_t pending = spool_.tick_count();

    if (!result.has_response()) {
        count_failure();
        spdlog::warn("trickle: {}; {} ticks stay spooled, retrying (attempt {})", result.error,
                     pending, backoff_.attempts() + 1);
        return Next::back_off;
    }
    const auto& response = *result.response;
    const int status = response.status;

    if (status == 200) {
        spool_.acknowledge(batch);
        if (gzip_refusal) {
            stop_compressing(describe_status(*gzip_refusal) +
                             " to a gzip request, 200 uncompressed; PCC_COMPRESSION=none avoids "
                             "the rejected first request");
        }
        if (backoff_.attempts() > 0 || auth_episode_ || config_episode_)
            spdlog::info("trickle: delivering again after {} failed attempts", backoff_.attempts());
        backoff_.reset();
        auth_episode_ = config_episode_ = false;
        std::lock_guard lock(mutex_);
        key_refused_ = false;
        stats_.delivered_ticks += batch.ticks;
        ++stats_.delivered_batches;
        idle_.notify_all();
        return Next::now;
    }

    count_failure();
    if (status == 415 && options_.gzip && !gzip_refusal) {
        stop_compressing(describe_status(response));
        return Next::now;
    }
    if (status == 401 || status == 403) {
        // Loud once per episode; the key may be added to pcd later, so keep retrying.
        if (!auth_episode_)
            spdlog::error(
                "trickle: {} refused PCC_APIKEY (fingerprint {}): {}; add the key to pcd's apikeys "
                "file "
                "(pcd reloads it on SIGHUP). {} ticks stay spooled and are retried",
                client_.base().to_string(), keys::key_fingerprint(options_.api_key),
                describe_status(response), pending);
        auth_episode_ = true;
        std::lock_guard lock(mutex_);
        key_refused_ = true;
        return Next::back_off;
    }
    if (status == 413) {
        if (batch.ticks > 1) {
            // Nothing was stored: a smaller batch gets a new batch_id without any risk of doubles.
            spool_.unseal(batch);
            batch_limit_ = std::max<std::size_t>(batch.ticks / 2, 1);
            spdlog::warn(
                "trickle: the server found a batch of {} ticks too large ({}); sending at most {} "
                "per "
                "request from now on",
                batch.ticks, describe_status(response), batch_limit_);
            return Next::now;
        }
        const auto where = spool_.quarantine(batch, "HTTP 413: " + server_message(response));
        std::lock_guard lock(mutex_);
        ++stats_.rejected_batches;
        stats_.rejected_ticks += batch.ticks;
        idle_.notify_all();  // the spool may be empty now: a drain need not wait
        spdlog::error(
            "trickle: the server refuses a single tick as too large ({}); moved it to {} so later "
            "ticks "
            "can go (raise PCD_MAXBODY and replay it with pcctl)",
            describe_status(response), where.string());
        return Next::now;
    }
    if (status == 400 || status == 422) {
        // The server will never accept this content (compressed or not, after a gzip 400): set it
        // aside instead of blocking the queue.
        const auto where = spool_.quarantine(
            batch, "HTTP " + std::to_string(status) + ": " + server_message(response));
        std::lock_guard lock(mutex_);
        ++stats_.rejected_batches;
        stats_.rejected_ticks += batch.ticks;
        idle_.notify_all();  // the spool may be empty now: a drain need not wait
        spdlog::error("trickle: the server rejected batch {} of {} ticks ({}{}); moved it to {}",
                      batch.batch_id, batch.ticks, describe_status(response),
                      gzip_refusal ? ", with gzip and uncompressed" : "", where.string());
        return Next::now;
    }
    if (status == 408 || status == 429 || status >= 500) {
        auto delay = backoff_.next();
        delay = std::min(std::max(delay, retry_after(response)), options_.retry_max);
        spdlog::warn("trickle: {}; {} ticks stay spooled, retrying in {}",
                     describe_status(response), pending, core::format_duration(delay));
        wait_backoff(delay);
        return Next::now;
    }
    // 404, 405, 415 without gzip, 3xx...: most likely a wrong PCC_SERVER_URL. Keep the data.
    if (!config_episode_)
        spdlog::error(
            "trickle: {} answered {} to POST {}; check PCC_SERVER_URL. {} ticks stay spooled and "
            "are "
            "retried",
            client_.base().to_string(), describe_status(response), api::kRouteTrickle, pending);
    config_episode_ = true;
    return Next::back_off;
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
        client_.stop();
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
