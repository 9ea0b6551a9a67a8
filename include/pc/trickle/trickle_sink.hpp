// pcc's trickle mode: every tick is spooled durably, then a background thread delivers the
// spool to pcd's /v1/trickle in batches, oldest first, retrying until the server says 200.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pc/client/backoff.hpp"
#include "pc/client/http_client.hpp"
#include "pc/record/tick_sink.hpp"
#include "pc/spool/spool.hpp"
#include "pc/trickle/delivery_decision.hpp"
#include "pc/trickle/trickle_options.hpp"

namespace pc::trickle {

struct TrickleStats {
    std::uint64_t delivered_ticks = 0;
    std::uint64_t delivered_batches = 0;
    std::uint64_t failed_attempts = 0;   // network errors and non-200 answers
    std::uint64_t rejected_batches = 0;  // quarantined to <spool>/rejected
    std::uint64_t rejected_ticks = 0;    // the ticks of those batches
    std::uint64_t unspooled_ticks = 0;   // lost because the spool refused them (disk full)
    bool gzip = false;                   // current request encoding
};

class TrickleSink : public record::TickSink {
public:
    // Validates the options (key, identifier, URL, CA file), opens the spool and starts the
    // sender. Throws UserError on unusable options.
    explicit TrickleSink(const TrickleOptions& options);
    ~TrickleSink() override;

    // Spools the tick (durable on return) and wakes the sender; never waits for the network.
    void write(const record::Tick& tick) override;
    // Keeps delivering for up to drain_timeout (a retry delay in progress ends at once, later
    // ones are short), then stops the sender (aborting a request in flight) and returns the
    // number of ticks still spooled for the next run.
    std::size_t finish(std::chrono::milliseconds drain_timeout) override;

    // After finish(): delivered, dropped by the cap, refused, not spooled, still spooled.
    record::SinkReport report() const override;

    TrickleStats stats() const;
    std::size_t pending() const { return spool_.tick_count(); }

private:
    // The sender's loop: the policy is decide() (delivery_decision.hpp); these carry it out.
    void run();
    // Sends the batch (once more uncompressed after a gzip 400) and carries out the decision.
    // False when the sink is stopping.
    bool deliver(const spool::SpoolBatch& batch);
    void carry_out(const Decision& decision, const spool::SpoolBatch& batch,
                   const client::HttpResult& result,
                   const std::optional<client::HttpResponse>& gzip_refusal);
    void quarantine(const Decision& decision, const spool::SpoolBatch& batch,
                    const client::HttpResponse& response, bool after_gzip_refusal);
    SenderMemory memory() const;
    void remember(const SenderMemory& memory);
    void count_failure();
    // Sends uncompressed for the rest of the run (the server refused gzip), logged once.
    void stop_compressing(const std::string& why);
    void wait_backoff(std::chrono::milliseconds delay);

    // The server batches go to now: PCC_SERVER_URL's servers take turns on failures.
    client::HttpClient& client() { return *clients_[current_]; }
    const client::HttpClient& client() const { return *clients_[current_]; }
    // The servers after the current one, `from` places on, comma-separated (for logs).
    std::string server_names(std::size_t from) const;

    TrickleOptions options_;
    std::vector<std::unique_ptr<client::HttpClient>> clients_;  // one per server, never empty
    std::size_t current_ = 0;                                   // the sender thread's
    spool::Spool spool_;
    client::Backoff backoff_;
    std::size_t batch_limit_;
    SenderMemory memory_;  // the sender thread's; key_refused_ mirrors it for report()

    mutable std::mutex mutex_;
    std::condition_variable wake_;  // new tick, stop request
    std::condition_variable idle_;  // a batch was acknowledged, or the sender ended
    bool draining_ = false;         // finish() has begun: retry without long delays
    bool stopping_ = false;
    bool sender_done_ = false;
    bool finished_ = false;
    bool key_refused_ = false;  // the last answer was 401/403
    TrickleStats stats_;
    std::thread sender_;
};

}  // namespace pc::trickle
