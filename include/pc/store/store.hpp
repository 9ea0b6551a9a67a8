// The data directory: one MachineLog per identifier, created on first use; machines proceed in
// parallel, each machine's appends in order.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pc/api/machines.hpp"
#include "pc/store/machine_log.hpp"

namespace pc::store {

// A stored collection as it was at one moment: read `length` bytes of `path`, never more
// (bytes beyond it may belong to a batch that is not yet acknowledged).
struct CollectionSnapshot {
    std::filesystem::path path;
    std::uint64_t length = 0;
};

class Store {
public:
    // Creates the data directory when missing and opens (recovering) every collection in it.
    explicit Store(StoreOptions options);

    // Stores one batch for `identifier` (which must satisfy api::valid_identifier; throws
    // std::invalid_argument otherwise) and returns once it is durable.
    AppendOutcome append(std::string_view identifier, const std::vector<Record>& records,
                         const std::optional<std::string>& batch_id);

    std::vector<api::MachineSummary> machines() const;  // sorted by identifier
    std::optional<CollectionSnapshot> snapshot(std::string_view identifier) const;
    std::size_t machine_count() const;
    const std::filesystem::path& datadir() const { return options_.datadir; }

private:
    MachineLog& machine(std::string_view identifier);

    StoreOptions options_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::unique_ptr<MachineLog>> machines_;
};

}  // namespace pc::store
