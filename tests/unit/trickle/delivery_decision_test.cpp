// The trickle sender's policy without sockets or files: one row per situation, then every
// status code against the rules that must hold whatever the row.
#include "pc/trickle/delivery_decision.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace std::chrono_literals;
using pc::trickle::Action;
using pc::trickle::decide;
using pc::trickle::Decision;
using pc::trickle::Outcome;
using pc::trickle::Reason;
using pc::trickle::SenderMemory;

namespace {

Outcome answer(int status, bool gzip = false, std::size_t ticks = 10,
               std::chrono::milliseconds retry_after = 0ms, bool resent_plain = false) {
    Outcome o;
    o.kind = Outcome::Kind::answer;
    o.status = status;
    o.gzip = gzip;
    o.batch_ticks = ticks;
    o.retry_after = retry_after;
    o.resent_plain = resent_plain;
    return o;
}

Outcome of_kind(Outcome::Kind kind) {
    Outcome o;
    o.kind = kind;
    o.batch_ticks = 10;
    return o;
}

SenderMemory failed(unsigned attempts) {
    SenderMemory m;
    m.failed_attempts = attempts;
    return m;
}

SenderMemory key_episode() {
    SenderMemory m;
    m.auth_episode = m.key_refused = true;
    m.failed_attempts = 2;
    return m;
}

SenderMemory url_episode() {
    SenderMemory m;
    m.config_episode = true;
    m.failed_attempts = 1;
    return m;
}

struct Row {
    const char* what;
    Outcome outcome;
    SenderMemory memory;
    Action action;
    Reason reason;
    bool failed_attempt;
    bool stop_gzip;
    bool loud;
    bool server_paced;
    std::chrono::milliseconds min_delay;
    std::size_t batch_limit;
    SenderMemory after;
};

SenderMemory with(SenderMemory m, bool auth, bool config, bool key) {
    m.auth_episode = auth;
    m.config_episode = config;
    m.key_refused = key;
    return m;
}

const SenderMemory kFresh{};

}  // namespace

TEST(DeliveryDecision, EverySituationHasItsAction) {
    using K = Outcome::Kind;
    const Row rows[] = {
        // what, outcome, memory, action, reason, failed, stop_gzip, loud, paced, min, limit, after
        {"200 stored", answer(200), kFresh, Action::acknowledge, Reason::stored, false, false,
         false, false, 0ms, 0, kFresh},
        {"200 after failures", answer(200), failed(3), Action::acknowledge, Reason::stored, false,
         false, true, false, 0ms, 0, kFresh},
        {"200 ends a refused-key episode", answer(200), key_episode(), Action::acknowledge,
         Reason::stored, false, false, true, false, 0ms, 0, kFresh},
        {"200 ends a wrong-URL episode", answer(200), url_episode(), Action::acknowledge,
         Reason::stored, false, false, true, false, 0ms, 0, kFresh},
        {"200 to the plain resend: gzip was the problem", answer(200, false, 10, 0ms, true), kFresh,
         Action::acknowledge, Reason::stored, false, true, false, false, 0ms, 0, kFresh},
        {"2xx other than 200 is not a store (as before)", answer(204), kFresh, Action::retry_later,
         Reason::wrong_url, true, false, true, false, 0ms, 0, with(kFresh, false, true, false)},
        {"400 to gzip: resend plain", answer(400, true), kFresh, Action::resend_plain,
         Reason::gzip_refused, true, false, false, false, 0ms, 0, kFresh},
        {"400 plain: set aside", answer(400), kFresh, Action::quarantine, Reason::content_refused,
         true, false, false, false, 0ms, 0, kFresh},
        {"400 to the plain resend: set aside", answer(400, false, 10, 0ms, true), kFresh,
         Action::quarantine, Reason::content_refused, true, false, false, false, 0ms, 0, kFresh},
        {"422: set aside", answer(422, true), kFresh, Action::quarantine, Reason::content_refused,
         true, false, false, false, 0ms, 0, kFresh},
        {"413 to 10 ticks: halve", answer(413, true, 10), kFresh, Action::split, Reason::too_large,
         true, false, false, false, 0ms, 5, kFresh},
        {"413 to 3 ticks: 1", answer(413, false, 3), kFresh, Action::split, Reason::too_large, true,
         false, false, false, 0ms, 1, kFresh},
        {"413 to 1 tick: set aside", answer(413, false, 1), kFresh, Action::quarantine,
         Reason::too_large, true, false, false, false, 0ms, 0, kFresh},
        {"415 to gzip: plain from now on", answer(415, true), kFresh, Action::send_again,
         Reason::gzip_refused, true, true, false, false, 0ms, 0, kFresh},
        {"415 to plain: wrong URL", answer(415), kFresh, Action::retry_later, Reason::wrong_url,
         true, false, true, false, 0ms, 0, with(kFresh, false, true, false)},
        {"401: key refused, loud", answer(401), kFresh, Action::retry_later, Reason::key_refused,
         true, false, true, false, 0ms, 0, with(kFresh, true, false, true)},
        {"403 again: quiet", answer(403), key_episode(), Action::retry_later, Reason::key_refused,
         true, false, false, false, 0ms, 0, key_episode()},
        {"429 with Retry-After", answer(429, true, 10, 7s), kFresh, Action::retry_later,
         Reason::server_busy, true, false, false, true, 7s, 0, kFresh},
        {"503 with Retry-After keeps the key episode", answer(503, false, 10, 2s), key_episode(),
         Action::retry_later, Reason::server_busy, true, false, false, true, 2s, 0, key_episode()},
        {"500 without Retry-After", answer(500), kFresh, Action::retry_later, Reason::server_busy,
         true, false, false, true, 0ms, 0, kFresh},
        {"408", answer(408), kFresh, Action::retry_later, Reason::server_busy, true, false, false,
         true, 0ms, 0, kFresh},
        {"404: wrong URL, loud", answer(404), kFresh, Action::retry_later, Reason::wrong_url, true,
         false, true, false, 0ms, 0, with(kFresh, false, true, false)},
        {"405 again: quiet", answer(405), url_episode(), Action::retry_later, Reason::wrong_url,
         true, false, false, false, 0ms, 0, url_episode()},
        {"302: wrong URL", answer(302), kFresh, Action::retry_later, Reason::wrong_url, true, false,
         true, false, 0ms, 0, with(kFresh, false, true, false)},
        {"no answer (connection error)", of_kind(K::no_answer), failed(4), Action::retry_later,
         Reason::network, true, false, false, false, 0ms, 0, failed(4)},
        {"spool error: back off, not the server's failure", of_kind(K::spool_error), kFresh,
         Action::retry_later, Reason::spool_error, false, false, false, false, 0ms, 0, kFresh},
        {"tick spooled (the cap drops the oldest itself)", of_kind(K::tick_spooled), kFresh,
         Action::wake_sender, Reason::none, false, false, false, false, 0ms, 0, kFresh},
        {"tick not spooled (disk full): lost", of_kind(K::tick_unspoolable), kFresh,
         Action::lose_tick, Reason::spool_write_failed, false, false, false, false, 0ms, 0, kFresh},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        const Decision d = decide(row.outcome, row.memory);
        EXPECT_EQ(d.action, row.action);
        EXPECT_EQ(d.reason, row.reason);
        EXPECT_EQ(d.failed_attempt, row.failed_attempt);
        EXPECT_EQ(d.stop_gzip, row.stop_gzip);
        EXPECT_EQ(d.loud, row.loud);
        EXPECT_EQ(d.server_paced, row.server_paced);
        EXPECT_EQ(d.min_delay, row.min_delay);
        EXPECT_EQ(d.batch_limit, row.batch_limit);
        EXPECT_EQ(d.memory.auth_episode, row.after.auth_episode);
        EXPECT_EQ(d.memory.config_episode, row.after.config_episode);
        EXPECT_EQ(d.memory.key_refused, row.after.key_refused);
    }
}

// Whatever the status, encoding, resend and batch size: the rules that keep data safe.
TEST(DeliveryDecision, EveryStatusKeepsTheInvariants) {
    for (int status = 100; status < 600; ++status)
        for (const bool gzip : {false, true})
            for (const bool resent_plain : {false, true})
                for (const std::size_t ticks : {std::size_t{1}, std::size_t{2}, std::size_t{10}}) {
                    if (gzip && resent_plain) continue;  // a resend is never compressed
                    const auto what = std::to_string(status) + (gzip ? " gzip" : " plain") +
                                      (resent_plain ? " resent" : "") + " ticks " +
                                      std::to_string(ticks);
                    SCOPED_TRACE(what);
                    for (const auto& memory : {kFresh, key_episode(), url_episode()}) {
                        const Decision d =
                            decide(answer(status, gzip, ticks, 0ms, resent_plain), memory);
                        // Only a 200 removes a batch as delivered; everything else is a failure.
                        EXPECT_EQ(d.action == Action::acknowledge, status == 200);
                        EXPECT_EQ(d.failed_attempt, status != 200);
                        // The plain resend happens once, and only for a gzip body.
                        if (d.action == Action::resend_plain) {
                            EXPECT_TRUE(gzip && status == 400);
                        }
                        // Data is set aside only when the server refuses it for good.
                        if (d.action == Action::quarantine) {
                            EXPECT_TRUE(status == 400 || status == 422 ||
                                        (status == 413 && ticks == 1));
                        }
                        if (d.action == Action::split) {
                            EXPECT_EQ(status, 413);
                            EXPECT_GE(d.batch_limit, 1u);
                            EXPECT_LT(d.batch_limit, ticks);
                        }
                        EXPECT_NE(d.action, Action::wake_sender);
                        EXPECT_NE(d.action, Action::lose_tick);
                        // Stop compressing only on evidence about gzip.
                        if (d.stop_gzip) {
                            EXPECT_TRUE((status == 415 && gzip) || resent_plain);
                        }
                        // Only a 401/403 says the key is refused; only a 200 clears it.
                        if (status == 401 || status == 403) {
                            EXPECT_TRUE(d.memory.key_refused);
                        } else if (status != 200) {
                            EXPECT_EQ(d.memory.key_refused, memory.key_refused);
                        } else {
                            EXPECT_FALSE(d.memory.key_refused);
                        }
                    }
                }
}

TEST(DeliveryDecision, RetryDelay) {
    Decision backoff;  // a connection error, a refused key, a wrong URL: the backoff as it is
    EXPECT_EQ(pc::trickle::retry_delay(backoff, 5000ms, 1000ms), 5000ms);
    Decision paced;
    paced.server_paced = true;
    paced.min_delay = 7s;
    EXPECT_EQ(pc::trickle::retry_delay(paced, 1000ms, 60s), 7s);  // Retry-After wins
    paced.min_delay = 120s;
    EXPECT_EQ(pc::trickle::retry_delay(paced, 1000ms, 60s), 60s);  // capped at retry_max
    paced.min_delay = 0ms;
    EXPECT_EQ(pc::trickle::retry_delay(paced, 3000ms, 60s), 3000ms);  // no Retry-After
    EXPECT_EQ(pc::trickle::retry_delay(paced, 90s, 60s), 60s);
}

TEST(DeliveryDecision, DrainShortensDelays) {
    EXPECT_EQ(pc::trickle::drain_delay(30s, false, 1s), 30s);
    EXPECT_EQ(pc::trickle::drain_delay(30s, true, 1s), 1s);
    EXPECT_EQ(pc::trickle::drain_delay(200ms, true, 1s), 200ms);
}

// PCC_SERVER_URL with several servers: connection errors and 5xx move on to the next server
// at once; only a full round of failures waits; anything else stays with the server.
TEST(DeliveryDecision, SeveralServersFailOverOnConnectionErrorsAnd5xx) {
    auto with_servers = [](Outcome o, std::size_t servers) {
        o.servers = servers;
        return o;
    };
    SenderMemory m;
    // Three servers: the first two failures go on at once, the third waits and starts a round.
    Decision d = decide(with_servers(of_kind(Outcome::Kind::no_answer), 3), m);
    EXPECT_TRUE(d.fail_over);
    EXPECT_TRUE(d.immediate);
    EXPECT_EQ(d.action, Action::retry_later);
    EXPECT_TRUE(d.failed_attempt);
    EXPECT_EQ(pc::trickle::retry_delay(d, 5000ms, 60s), 0ms);
    d = decide(with_servers(answer(503, false, 10, 30s), 3), d.memory);
    EXPECT_TRUE(d.fail_over);
    EXPECT_TRUE(d.immediate);  // another server need not wait for this one's Retry-After
    EXPECT_EQ(pc::trickle::retry_delay(d, 5000ms, 60s), 0ms);
    d = decide(with_servers(answer(500), 3), d.memory);
    EXPECT_TRUE(d.fail_over);
    EXPECT_FALSE(d.immediate);
    EXPECT_EQ(d.memory.servers_failed, 0u);
    EXPECT_EQ(pc::trickle::retry_delay(d, 5000ms, 60s), 5000ms);
    // A server that answers for itself ends the round without moving on.
    for (const int status : {200, 400, 401, 403, 404, 408, 413, 429}) {
        SCOPED_TRACE(status);
        SenderMemory after_one;
        after_one.servers_failed = 1;
        const Decision stay = decide(with_servers(answer(status), 3), after_one);
        EXPECT_FALSE(stay.fail_over);
        EXPECT_EQ(stay.memory.servers_failed, 0u);
    }
    // One server: as before, never a fail-over and never immediate.
    for (const auto& o : {of_kind(Outcome::Kind::no_answer), answer(502)}) {
        const Decision one = decide(o, SenderMemory{});
        EXPECT_FALSE(one.fail_over);
        EXPECT_FALSE(one.immediate);
    }
}
