// What a trim removed from a machine's collection.
#pragma once

#include <cstdint>

namespace pc::store {

struct TrimResult {
    std::uint64_t batches = 0;  // batches removed
    std::uint64_t records = 0;  // records removed
    std::uint64_t bytes = 0;    // bytes removed from the collection
};

}  // namespace pc::store
