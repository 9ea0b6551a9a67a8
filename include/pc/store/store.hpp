// What pcd needs of a store, whatever keeps the data: the file store (FileStore, the default)
// or PostgreSQL (PgStore, issue 13). Routes, retention and the daemon see only this.
// Guarantees every implementation keeps: an append returns only once its batch is durable; a
// batch_id is stored at most once per machine (a resend answers `duplicate`); a machine's
// batches are read back in arrival order, byte for byte as the collection lines they were
// encoded to; trim and remove work while appends go on.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/record/record.hpp"
#include "pc/store/append_outcome.hpp"
#include "pc/store/collection_stream.hpp"
#include "pc/store/machine_summary.hpp"
#include "pc/store/time_range.hpp"
#include "pc/store/trim_result.hpp"

namespace pc::store {

class Store {
public:
    virtual ~Store() = default;

    // Stores one batch for `identifier` (which must satisfy record::valid_identifier; throws
    // std::invalid_argument otherwise) and returns once it is durable, or failed (temporary:
    // the agent retries), or too_many_machines.
    virtual AppendOutcome append(std::string_view identifier,
                                 const std::vector<record::Record>& records,
                                 const std::optional<std::string>& batch_id) = 0;
    // Every machine, sorted by identifier.
    virtual std::vector<MachineSummary> machines() const = 0;
    virtual std::size_t machine_count() const = 0;
    // Removes the leading batches whose records are all older than `before` (Unix seconds).
    // nullopt for an unknown machine.
    virtual std::optional<TrimResult> trim(std::string_view identifier, std::int64_t before) = 0;
    // Deletes a machine; the summary it had, or nullopt for an unknown machine.
    virtual std::optional<MachineSummary> remove(std::string_view identifier) = 0;
    // The machine's records with timestamps in `range`, as stored when called (later appends
    // are not seen); nullptr for an unknown machine. Throws when the store cannot be read.
    virtual std::unique_ptr<CollectionStream> read(std::string_view identifier,
                                                   TimeRange range) const = 0;
    // One line for logs: which store, where (never a password).
    virtual std::string describe() const = 0;
    // Why the store cannot take appends now (a database that is down or read-only), or
    // nullopt: what /health reports as `degraded`. The file store reports its outages per
    // request (503) only.
    virtual std::optional<std::string> problem() const { return std::nullopt; }
};

}  // namespace pc::store
