// JSON string escaping and unescaping exactly as Go's encoding/json does (HTML-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pc::record {

// Appends `s` as a quoted JSON string the way Go's json.Encoder writes it: `"` and `\` escaped,
// \b \f \n \r \t short forms, other control bytes as \u00xx, `<` `>` `&` as \u003c \u003e
// \u0026, U+2028/U+2029 escaped, each invalid UTF-8 byte as \ufffd, everything else literal.
void append_go_json_string(std::string& out, std::string_view s);

// Appends `s` as a JSON string inside a JSON string: what append_go_json_string writes for it,
// escaped by append_go_json_string again without that second pass's own quotes. For a JSON
// object written directly in its escaped form ({\"key\":\"value\"}).
void append_go_json_string_nested(std::string& out, std::string_view s);

// Decodes the body of a JSON string (the text between the quotes). Handles every escape,
// including \uXXXX surrogate pairs (a lone surrogate becomes U+FFFD, as in Go). Returns nullopt
// on an invalid escape or a raw control character.
std::optional<std::string> decode_json_string_body(std::string_view body);

}  // namespace pc::record
