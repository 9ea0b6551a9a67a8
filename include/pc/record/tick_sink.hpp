// Where pcc's ticks go: a local collection file or a trickle to pcd.
#pragma once

#include <chrono>

#include "pc/record/record.hpp"

namespace pc::record {

class TickSink {
public:
    virtual ~TickSink() = default;
    // Called once per tick, on the sampling thread. Must not block for long: a slow network
    // must never delay the next sample. Throws UserError only for fatal conditions.
    virtual void write(const Tick& tick) = 0;
    // Called once at the end (duration over or signal). May take up to `drain_timeout` to
    // deliver what is pending. Returns the number of ticks left undelivered (0 for a file).
    virtual std::size_t finish(std::chrono::milliseconds drain_timeout) = 0;
};

}  // namespace pc::record
