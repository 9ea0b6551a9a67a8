// The sidecar index of a stored collection: one entry per stored batch (a frame whose payload
// is a text line), recording where the batch's bytes lie in the collection file, their CRC-32,
// counts, timestamps and batch_id.
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

// An entry's text: "<offset> <length> <crc hex> <records> <total> <first ts> <last ts>
// <received ms> <batch>" where <batch> is "-" or the batch_id as a JSON string (so any bytes
// stay on one line). No newline.
void append_index_text(const IndexEntry& entry, std::string& out);

// An entry as the index file holds it: one frame of the shared log format (io/frame.hpp) whose
// payload is the entry's text.
void append_index_entry(const IndexEntry& entry, std::string& out);

// Parses an entry's text (a frame's payload, or a line of an index of an older pcd without its
// '\n'); nullopt when it is malformed.
std::optional<IndexEntry> parse_index_line(std::string_view line);

// Indexes written by pcd versions before the frame format: one text line per entry, each ending
// in '\n'. True when `head` (the first bytes of a non-empty index file) is one.
bool is_legacy_index(std::string_view head);

struct LegacyIndex {
    std::string framed;  // the same entries in the frame format
    std::size_t entries = 0;
    bool whole = false;   // every line read (a torn last line, as a crash leaves, aside)
    std::string problem;  // when not whole: the first line that cannot be read
};
// Converts an index of an older pcd (what machine logs do at their first open after an upgrade).
LegacyIndex convert_legacy_index(std::string_view text);

// The CRC of an entry's bytes: the shared frame format's (zlib's CRC-32).
using ::pc::io::crc32_of;

}  // namespace pc::store
