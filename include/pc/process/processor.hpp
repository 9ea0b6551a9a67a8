// One pcprocess run: stream a collection through the subsystem state machines into the outputs.
#pragma once

#include <cstdint>

#include "pc/process/events.hpp"
#include "pc/process/options.hpp"

namespace pc::process {

struct ProcessResult {
    std::uint64_t records = 0;     // records used (known subsystems, parsed)
    std::uint64_t bytes_read = 0;  // input bytes (decompressed)
    Events events;
};

// Reads the collection once, record by record, with memory bounded by the longest line and the
// number of devices. Warnings go to spdlog (one per malformed line, one summary line at the
// end). Outputs are renamed into place only after the whole input is processed. Throws
// UserError on a fatal problem (unreadable input, --strict violation, compat-mode mismatch);
// then no output file is created or replaced.
ProcessResult run_process(const ProcessOptions& options);

}  // namespace pc::process
