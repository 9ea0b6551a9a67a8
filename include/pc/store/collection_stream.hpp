// A stored collection read back in chunks of whole collection lines (the original's JSONL,
// byte for byte, in arrival order): what GET /v1/machines/<id>/collection streams, whatever
// the store behind it.
#pragma once

#include <string>

namespace pc::store {

class CollectionStream {
public:
    virtual ~CollectionStream() = default;
    // Replaces `out` with the next lines (a bounded chunk, possibly empty while more follow);
    // false at the end. Throws std::system_error or std::runtime_error when reading fails.
    virtual bool next(std::string& out) = 0;
};

}  // namespace pc::store
