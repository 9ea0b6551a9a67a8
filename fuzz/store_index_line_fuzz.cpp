// pcd's sidecar batch index, read back at startup after a crash: any entry's text (a frame's
// payload, or a line of an older pcd's index) either parses or is refused, and what parses is
// written back identically.
#include "fuzz_check.hpp"
#include "pc/store/batch_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto line = pc::fuzz::as_view(data, size);
    auto entry = pc::store::parse_index_line(line);
    (void)pc::store::crc32_of(line);
    if (!entry) return 0;
    // Batch ids from requests are valid UTF-8 (the JSON parser rejects anything else); an
    // index corrupted into invalid UTF-8 is written back with U+FFFD, like every Go string.
    if (entry->batch_id && !pc::fuzz::valid_utf8(*entry->batch_id)) return 0;
    std::string written;
    pc::store::append_index_text(*entry, written);
    auto again = pc::store::parse_index_line(written);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *entry);
    return 0;
}
