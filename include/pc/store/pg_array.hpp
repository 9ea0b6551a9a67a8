// A one-dimensional PostgreSQL array in the binary wire format (array_recv), sent as one
// binary statement parameter: the group commit passes a whole group's batches as a few
// arrays (unnest on the server) instead of one statement per batch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pc::store {

// Element type OIDs (pg_type.oid, fixed since PostgreSQL 7).
inline constexpr std::uint32_t kPgBytea = 17;
inline constexpr std::uint32_t kPgInt8 = 20;
inline constexpr std::uint32_t kPgInt4 = 23;
inline constexpr std::uint32_t kPgText = 25;

class PgArrayWriter {
public:
    explicit PgArrayWriter(std::uint32_t element_oid);
    // An element's binary form: raw bytes for bytea and text (text must be valid in the
    // database's encoding, or the server refuses the statement).
    void add(std::string_view bytes);
    void add_null();
    void add_int64(std::int64_t value);
    void add_int32(std::int32_t value);
    // The parameter's bytes (20 bytes of header, then the elements). Call once, last.
    std::string finish();

private:
    std::string out_;
    std::uint32_t count_ = 0;
    bool has_null_ = false;
};

}  // namespace pc::store
