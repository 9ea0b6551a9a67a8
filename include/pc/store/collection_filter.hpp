// Reads a stored collection snapshot in chunks of whole lines, keeping only records whose
// timestamp lies in [since, until]: what GET /v1/machines/<id>/collection streams.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pc/store/store.hpp"

namespace pc::store {

struct TimeRange {
    std::optional<std::int64_t> since;  // inclusive
    std::optional<std::int64_t> until;  // inclusive
    bool contains(std::int64_t t) const {
        return (!since || t >= *since) && (!until || t <= *until);
    }
};

class CollectionFilter {
public:
    // Throws std::system_error when the file cannot be opened.
    CollectionFilter(const CollectionSnapshot& snapshot, TimeRange range);
    ~CollectionFilter();
    CollectionFilter(const CollectionFilter&) = delete;
    CollectionFilter& operator=(const CollectionFilter&) = delete;

    // Replaces `out` with the next selected lines (about 64 KiB of input per call); false at
    // the end of the snapshot.
    bool next(std::string& out);

private:
    int fd_ = -1;
    std::uint64_t offset_ = 0;
    std::uint64_t length_ = 0;
    TimeRange range_;
    std::string carry_;
};

}  // namespace pc::store
