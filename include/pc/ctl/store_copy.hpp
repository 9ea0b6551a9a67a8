// pcctl store copy --from <dir|URI> --to <dir|URI>: moves collections between pcd's stores (a
// file store's data directory, a PostgreSQL database) through the store::Store interface, so
// that a collection fetched from either is the same bytes.
//
// Resumable by counting: a store keeps each machine's records in arrival order and appends a
// batch all or nothing, so what a destination holds of a machine is always a prefix of what
// the copy sent. Each run reads, per machine, how many records the destination already has
// (N, and its bytes), skips the source's first N lines (checking they add up to those bytes),
// and appends the rest in batches; an interrupted run leaves whole batches only, and the next
// run continues after them. The source's summary at the start of the run bounds what is copied,
// and the end checks each machine's records and bytes against it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pc/ctl/command.hpp"
#include "pc/store/store.hpp"

namespace pc::ctl {

struct CopyOptions {
    // Identifier patterns ('*', '?') to copy; empty: every machine.
    std::vector<std::string> identifiers;
    // Records per appended batch, and a cap on its bytes.
    std::size_t batch_records = 5000;
    std::size_t batch_bytes = 4u << 20;
    // Tests: stop (as if killed) after this many appended batches.
    std::optional<std::size_t> stop_after_batches;
};

struct MachineCopy {
    std::string identifier;
    std::uint64_t records = 0;  // in the source when the run started
    std::uint64_t bytes = 0;
    std::uint64_t already = 0;  // records the destination had before this run
    std::uint64_t copied = 0;   // records appended by this run
    // Empty when the destination now holds exactly the source's records and bytes; else what
    // differs.
    std::string mismatch;
};

struct CopyReport {
    std::vector<MachineCopy> machines;
    bool stopped = false;  // stop_after_batches was reached
    bool complete() const;
};

// Copies `from` into `to` as described above, progress lines on `progress`. Throws UserError
// when a source line is not a record as pcd stores it, or the destination refuses a batch.
CopyReport copy_collections(const store::Store& from, store::Store& to, const CopyOptions& options,
                            std::ostream& progress);

void register_store_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
