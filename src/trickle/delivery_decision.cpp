#include "pc/trickle/delivery_decision.hpp"

#include <algorithm>

namespace pc::trickle {

namespace {

Decision make(Action action, Reason reason, const SenderMemory& memory, bool failed) {
    Decision d;
    d.action = action;
    d.reason = reason;
    d.failed_attempt = failed;
    d.memory = memory;
    return d;
}

Decision decide_answer(const Outcome& outcome, const SenderMemory& memory) {
    const int status = outcome.status;
    // A server that reads plain JSON only (presumably the original pcd) fails to decode a gzip
    // body and answers 400, not 415: the same batch goes once more uncompressed to tell a
    // refused encoding from refused content.
    if (status == 400 && outcome.gzip)
        return make(Action::resend_plain, Reason::gzip_refused, memory, true);
    if (status == 200) {
        Decision d = make(Action::acknowledge, Reason::stored, memory, false);
        d.stop_gzip = outcome.resent_plain;  // 400 with gzip, 200 without: gzip is the problem
        d.loud = memory.failed_attempts > 0 || memory.auth_episode || memory.config_episode;
        d.memory = SenderMemory{};
        return d;
    }
    if (status == 415 && outcome.gzip) {
        Decision d = make(Action::send_again, Reason::gzip_refused, memory, true);
        d.stop_gzip = true;
        return d;
    }
    if (status == 401 || status == 403) {
        // The key may be added to pcd later: keep retrying, loud once per episode.
        Decision d = make(Action::retry_later, Reason::key_refused, memory, true);
        d.loud = !memory.auth_episode;
        d.memory.auth_episode = true;
        d.memory.key_refused = true;
        return d;
    }
    if (status == 413) {
        if (outcome.batch_ticks > 1) {
            // Nothing was stored: a smaller batch gets a new batch_id without any risk of doubles.
            Decision d = make(Action::split, Reason::too_large, memory, true);
            d.batch_limit = std::max<std::size_t>(outcome.batch_ticks / 2, 1);
            return d;
        }
        return make(Action::quarantine, Reason::too_large, memory, true);
    }
    // The server will never accept this content (compressed or not, after a gzip 400): set it
    // aside instead of blocking the queue.
    if (status == 400 || status == 422)
        return make(Action::quarantine, Reason::content_refused, memory, true);
    if (status == 408 || status == 429 || status >= 500) {
        Decision d = make(Action::retry_later, Reason::server_busy, memory, true);
        d.server_paced = true;
        d.min_delay = outcome.retry_after;
        return d;
    }
    // 404, 405, 415 without gzip, 3xx, other 2xx...: most likely a wrong PCC_SERVER_URL. Keep
    // the data.
    Decision d = make(Action::retry_later, Reason::wrong_url, memory, true);
    d.loud = !memory.config_episode;
    d.memory.config_episode = true;
    return d;
}

// With several servers, a connection error or a 5xx moves on to the next server at once; only
// when every server failed in a row does the sender wait (the backoff, or the server's pace).
Decision fail_over(Decision d, const Outcome& outcome, const SenderMemory& memory) {
    if (outcome.servers <= 1) return d;
    d.fail_over = true;
    d.memory.servers_failed = memory.servers_failed + 1;
    if (d.memory.servers_failed < outcome.servers) {
        d.immediate = true;
    } else {
        d.memory.servers_failed = 0;  // a full round failed: the next round starts after a wait
    }
    return d;
}

}  // namespace

Decision decide(const Outcome& outcome, const SenderMemory& memory) {
    switch (outcome.kind) {
        case Outcome::Kind::tick_spooled:
            return make(Action::wake_sender, Reason::none, memory, false);
        case Outcome::Kind::tick_unspoolable:
            return make(Action::lose_tick, Reason::spool_write_failed, memory, false);
        case Outcome::Kind::spool_error:
            // Not the server's doing: no failed attempt, but the same backoff before retrying.
            return make(Action::retry_later, Reason::spool_error, memory, false);
        case Outcome::Kind::no_answer:
            return fail_over(make(Action::retry_later, Reason::network, memory, true), outcome,
                             memory);
        case Outcome::Kind::answer:
            break;
    }
    Decision d = decide_answer(outcome, memory);
    if (outcome.status >= 500) return fail_over(d, outcome, memory);
    // The server answered for itself: the round of failed servers is over.
    d.memory.servers_failed = 0;
    return d;
}

std::chrono::milliseconds retry_delay(const Decision& decision, std::chrono::milliseconds backoff,
                                      std::chrono::milliseconds retry_max) {
    if (decision.immediate) return std::chrono::milliseconds(0);
    if (!decision.server_paced) return backoff;
    return std::min(std::max(backoff, decision.min_delay), retry_max);
}

std::chrono::milliseconds drain_delay(std::chrono::milliseconds delay, bool draining,
                                      std::chrono::milliseconds retry_initial) {
    return draining ? std::min(delay, retry_initial) : delay;
}

}  // namespace pc::trickle
