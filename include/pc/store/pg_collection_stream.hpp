// A machine's collection read back from the PostgreSQL store: its batches up to the last one
// committed when the read began (later appends are not seen), in arrival order (seq), a few
// batches per query, each query on a pooled connection held only while it runs; lines outside
// the time range are dropped as the file store's reader drops them (append_lines_in_range).
#pragma once

#include <cstdint>
#include <string>

#include "pc/store/collection_stream.hpp"
#include "pc/store/pg_pool.hpp"
#include "pc/store/time_range.hpp"

namespace pc::store {

class PgCollectionStream final : public CollectionStream {
public:
    // Reads the batches of `identifier` with seq <= `last_seq`.
    PgCollectionStream(PgPool& pool, std::string identifier, TimeRange range,
                       std::int64_t last_seq);
    // Throws PgError when the database cannot be read.
    bool next(std::string& out) override;

private:
    PgPool& pool_;
    std::string identifier_;
    TimeRange range_;
    std::int64_t after_seq_ = 0;
    std::int64_t last_seq_;
};

}  // namespace pc::store
