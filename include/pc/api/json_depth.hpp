// How deeply a JSON text nests, found without parsing it: request bodies are checked with it
// before a parser builds anything, so a few KB of "[[[[..." cannot cost hundreds of MB.
#pragma once

#include <cstddef>
#include <string_view>

namespace pc::api {

// The deepest nesting of arrays and objects in `text` (0 for a scalar), brackets inside strings
// not counted. The scan stops as soon as the depth passes `limit` and returns limit + 1. It does
// not validate: a malformed text is the parser's to refuse.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit);

// Request bodies of our API nest 3 levels (object, measurements array, record object); this
// leaves room for unknown fields of clients newer than us.
inline constexpr std::size_t kMaxRequestNesting = 32;

}  // namespace pc::api
