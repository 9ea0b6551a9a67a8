// Decides, from the bytes a client has sent so far, whether a worker can serve its request
// without waiting on the client. pcd's connection front end buffers requests until then, so a
// slow or silent client costs a buffer, never a worker thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace pc::server {

enum class Framing {
    need_more,       // the head (or a small announced body) is still arriving
    ready,           // a worker can take it now
    head_too_large,  // no end of head within the limit: answer 431 and close
};

struct FramingLimits {
    std::size_t head_max = 64 * 1024;  // request line plus headers
    std::size_t body_cap = 1 << 20;    // bodies up to this size are buffered before dispatch
};

// `buffered` starts at the first byte of a request. A request is ready once its whole head is
// there and, when the head announces a Content-Length of at most body_cap, its whole body too.
// Chunked bodies, larger bodies and "Expect: 100-continue" are ready at the end of the head
// (the worker reads the rest; httplib answers the 100 itself).
Framing assess_request(std::string_view buffered, const FramingLimits& limits);

}  // namespace pc::server
