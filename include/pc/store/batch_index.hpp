// The sidecar index of a stored collection: one text line per stored batch, recording where the
// batch's bytes lie in the collection file, their CRC-32, counts, timestamps and batch_id.
// It is what makes a crash recoverable (torn or unacknowledged tails are found and cut off) and
// what makes duplicate suppression survive a restart (recent batch_ids are read back from it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pc/io/frame.hpp"

namespace pc::store {

struct IndexEntry {
    std::uint64_t offset = 0;         // where the batch starts in the collection file
    std::uint64_t length = 0;         // its size in bytes
    std::uint32_t crc = 0;            // CRC-32 of those bytes
    std::uint64_t records = 0;        // records in the batch
    std::uint64_t total_records = 0;  // records in the file up to and including this batch
    std::int64_t first_timestamp = 0;
    std::int64_t last_timestamp = 0;
    std::int64_t received_ms = 0;  // server clock when stored, Unix milliseconds
    std::optional<std::string> batch_id;

    std::uint64_t end() const { return offset + length; }
    bool operator==(const IndexEntry&) const = default;
};

// "<offset> <length> <crc hex> <records> <total> <first ts> <last ts> <received ms> <batch>\n"
// where <batch> is "-" or the batch_id as a JSON string (so any bytes stay on one line).
void append_index_line(const IndexEntry& entry, std::string& out);

// Parses one line without its '\n'; nullopt when it is malformed (e.g. torn by a crash).
std::optional<IndexEntry> parse_index_line(std::string_view line);

// The CRC of an entry's bytes: the shared frame format's (zlib's CRC-32).
using ::pc::io::crc32_of;

}  // namespace pc::store
