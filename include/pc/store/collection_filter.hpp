// Reads a stored collection snapshot in chunks of whole lines, keeping only records whose
// timestamp lies in [since, until]: what GET /v1/machines/<id>/collection streams.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pc/store/collection_stream.hpp"
#include "pc/store/file_system.hpp"
#include "pc/store/time_range.hpp"

namespace pc::store {

// A stored collection file as it was at one moment: read `length` bytes of `path`, never more
// (bytes beyond it may belong to a batch that is not yet acknowledged).
struct CollectionSnapshot {
    std::filesystem::path path;
    std::uint64_t length = 0;
};

// Appends to `out` the lines of `lines` (whole collection lines, each ending in '\n') whose
// record timestamp lies in `range`: the filter every store's collection stream applies.
void append_lines_in_range(std::string_view lines, TimeRange range, std::string& out);

class CollectionFilter final : public CollectionStream {
public:
    // Throws std::system_error when the file cannot be opened. Without `fs`, the POSIX one.
    CollectionFilter(const CollectionSnapshot& snapshot, TimeRange range);
    CollectionFilter(FileSystem& fs, const CollectionSnapshot& snapshot, TimeRange range);
    ~CollectionFilter() override;
    CollectionFilter(const CollectionFilter&) = delete;
    CollectionFilter& operator=(const CollectionFilter&) = delete;

    // Replaces `out` with the next selected lines (about 64 KiB of input per call); false at
    // the end of the snapshot.
    bool next(std::string& out) override;

private:
    std::unique_ptr<File> file_;
    std::uint64_t offset_ = 0;
    std::uint64_t length_ = 0;
    TimeRange range_;
    std::string carry_;
};

}  // namespace pc::store
