// Every pcd error response body: {"error":"<one line>"}.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pc::api {

// {"error":"<message>"} with Go-compatible string escaping.
std::string encode_error_body(std::string_view message);

// The "error" member of a response body, or nullopt when the body is not such an object.
std::optional<std::string> decode_error_body(std::string_view body);

}  // namespace pc::api
