// Decides, from the bytes a client has sent so far, whether a worker can serve its request
// without waiting on the client. pcd's connection front end buffers every request, body
// included, until then, so a slow, silent or malformed client costs a buffer, never a worker
// thread; requests whose length cannot be known safely are refused before any worker sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pc::server {

enum class Framing {
    need_more,  // the head or the body is still arriving
    ready,      // the whole request is buffered: a worker can take it now
    refuse,     // answer `status` with `message` and close the connection
};

struct FramingLimits {
    std::size_t head_max = 64 * 1024;    // request line plus headers
    std::uint64_t body_cap = 16u << 20;  // bodies of the routes in large_body_paths (PCD_MAXBODY)
    std::uint64_t small_body_cap = 16 * 1024;  // bodies of every other route
    std::vector<std::string> large_body_paths = {"/v1/trickle"};
};

struct Assessment {
    Framing state = Framing::need_more;
    int status = 0;       // refuse: the HTTP status to answer
    std::string message;  // refuse: one line for the client
    // need_more once the head is complete: the body still expected, and whether the client
    // waits for "100 Continue" before sending it.
    bool head_complete = false;
    std::uint64_t body_length = 0;
    bool expects_continue = false;
};

// `buffered` starts at the first byte of a request. Rules (RFC 9112 §6): a body is framed by one
// Content-Length (repeated only with the same value); Transfer-Encoding is refused (411 when it
// ends in chunked: our clients always send a length; 400 otherwise, and 400 with a
// Content-Length, which is how requests are smuggled past a proxy); an invalid or negative length
// is 400; a body over its route's cap is 413; an Expect other than 100-continue is 417.
Assessment assess_request(std::string_view buffered, const FramingLimits& limits);

}  // namespace pc::server
