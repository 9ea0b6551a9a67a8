// Answers pcd's connection front end writes itself, before or instead of a worker: a status
// line, headers and a JSON error body whose Content-Length is computed from the body sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pc::server {

// The interim answer to "Expect: 100-continue" once the head has been accepted.
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// A complete response that closes the connection: status, reason phrase, Content-Type,
// Content-Length, Connection: close, an optional Retry-After, and {"error":"<message>"}.
std::string raw_error_response(int status, std::string_view message,
                               std::optional<int> retry_after_seconds = std::nullopt);

}  // namespace pc::server
