// Text from a collection (identifiers, interface, disk, mount and container names) put into the
// page: as HTML text, or as a JSON string inside a <script> element, never as markup or code.
#pragma once

#include <string>
#include <string_view>

namespace pc::report {

// & < > " ' as character references: safe in element text and in quoted attributes.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escaped(std::string_view text);

// A JSON string literal (quotes included) that is also safe inside <script>: '<', '>', '&',
// U+2028 and U+2029 are \u escapes, so "</script>" or "<!--" in a name cannot end the element.
// Invalid UTF-8 bytes become U+FFFD.
void append_script_json_string(std::string& out, std::string_view text);

}  // namespace pc::report
