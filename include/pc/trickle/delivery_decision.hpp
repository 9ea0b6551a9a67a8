// The trickle sender's policy as a pure function: given what just happened (an answer, no
// answer, a spool failure, a tick that could not be spooled) and what the sender remembers,
// what to do next. No sockets, files, clocks or logs: TrickleSink carries the decision out
// (trickle_sink.cpp), and tests/unit/trickle/delivery_decision_test.cpp checks every row.
#pragma once

#include <chrono>
#include <cstddef>

namespace pc::trickle {

// What just happened.
struct Outcome {
    enum class Kind {
        answer,            // the server answered `status`
        no_answer,         // connection refused, timed out, TLS failure...: no response at all
        spool_error,       // the spool could not form, seal, acknowledge or set aside a batch
        tick_spooled,      // the sampler's tick is durable (the spool's cap may have dropped
                           // the oldest ticks to make room: the spool does and logs that)
        tick_unspoolable,  // the sampler's tick could not be written (disk full, I/O error)
    };
    Kind kind = Kind::answer;
    int status = 0;
    std::chrono::milliseconds retry_after{0};  // the answer's Retry-After, 0 when absent
    bool gzip = false;                         // the request body was gzip-compressed
    bool resent_plain = false;  // the uncompressed resend of a batch refused with gzip (400)
    std::size_t batch_ticks = 0;
    std::size_t servers = 1;  // how many servers PCC_SERVER_URL lists
};

// What the sender remembers between attempts.
struct SenderMemory {
    bool auth_episode = false;     // a 401/403 was already reported loudly
    bool config_episode = false;   // a wrong-URL answer was already reported loudly
    bool key_refused = false;      // the last answer was 401/403 (pcc's exit status says so)
    unsigned failed_attempts = 0;  // the backoff's attempts since the last success
    // Servers that failed one after the other (no answer or 5xx) since the last answer that
    // was not a failure; a full round of them waits the backoff's delay.
    std::size_t servers_failed = 0;
};

enum class Action {
    wake_sender,   // a tick is spooled: the sender may have work
    lose_tick,     // the tick is lost: count it, say so, sampling goes on
    resend_plain,  // send the same batch once more uncompressed, then decide again
    acknowledge,   // stored: remove the batch from the spool, next batch at once
    send_again,    // send the (same or re-formed) next batch at once
    split,         // unseal the batch and send at most `batch_limit` ticks per request
    quarantine,    // refused for good: move the batch to <spool>/rejected, next at once
    retry_later,   // the batch stays spooled: wait retry_delay(...), then send it again
};

enum class Reason {
    none,
    stored,           // 200
    gzip_refused,     // 400 to a gzip body (maybe a plain-JSON-only server) or 415
    network,          // no answer
    key_refused,      // 401, 403
    server_busy,      // 408, 429, 5xx: Retry-After honoured
    too_large,        // 413
    content_refused,  // 400, 422 (after the plain resend when gzip was on)
    wrong_url,        // anything else (404, 405, 3xx, 415 uncompressed...): PCC_SERVER_URL?
    spool_error,
    spool_write_failed,
};

struct Decision {
    Action action = Action::retry_later;
    Reason reason = Reason::none;
    bool failed_attempt = false;  // counts in TrickleStats::failed_attempts
    bool stop_gzip = false;       // send uncompressed for the rest of the run
    // Log at the loud level: the first 401/403 or wrong-URL answer of an episode, or the first
    // success after failures. Other reasons have a fixed level.
    bool loud = false;
    // retry_later after 408/429/5xx: the server paces us (at least its Retry-After, at most
    // retry_max); otherwise the backoff's delay as it is.
    bool server_paced = false;
    std::chrono::milliseconds min_delay{0};  // the Retry-After when server_paced
    std::size_t batch_limit = 0;             // split: the new ticks-per-request limit
    // Several servers, and this one did not answer or answered 5xx: send the same batch (same
    // batch_id, so stored once) to the next one; at once, unless every server failed in a row.
    bool fail_over = false;
    bool immediate = false;  // retry_later without waiting
    SenderMemory memory;     // what to remember from now on
};

Decision decide(const Outcome& outcome, const SenderMemory& memory);

// The wait of retry_later, from the backoff's next delay.
std::chrono::milliseconds retry_delay(const Decision& decision, std::chrono::milliseconds backoff,
                                      std::chrono::milliseconds retry_max);

// pcc is shutting down and draining: a delay is at most retry_initial (the server may be back).
std::chrono::milliseconds drain_delay(std::chrono::milliseconds delay, bool draining,
                                      std::chrono::milliseconds retry_initial);

}  // namespace pc::trickle
