// Where pcc's ticks go: a local collection file or a trickle to pcd.
#pragma once

#include <chrono>
#include <cstdint>

#include "pc/record/record.hpp"

namespace pc::record {

// What became of the ticks a sink was given, for pcc's last line and exit status.
struct SinkReport {
    std::uint64_t delivered = 0;  // written to the file, or acknowledged by the server
    std::uint64_t dropped = 0;    // dropped by the spool's size cap (oldest first)
    std::uint64_t refused = 0;    // refused for good by the server (set aside in rejected/)
    std::uint64_t failed = 0;     // could not be spooled or written (disk full, I/O error)
    std::uint64_t pending = 0;    // still spooled at the end, sent by the next run
    bool key_refused = false;     // the server's last answer refused the API key (401/403)

    bool lost() const { return dropped + refused + failed > 0; }
};

class TickSink {
public:
    virtual ~TickSink() = default;
    // Called once per tick, on the sampling thread. Must not block for long: a slow network
    // must never delay the next sample. Throws UserError only for fatal conditions.
    virtual void write(const Tick& tick) = 0;
    // Called once at the end (duration over or signal). May take up to `drain_timeout` to
    // deliver what is pending. Returns the number of ticks left undelivered (0 for a file).
    virtual std::size_t finish(std::chrono::milliseconds drain_timeout) = 0;
    // After finish(): what became of the ticks (a sink that counts nothing reports zeros).
    virtual SinkReport report() const { return {}; }
};

}  // namespace pc::record
