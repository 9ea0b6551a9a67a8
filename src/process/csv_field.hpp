// Private to the process module: one CSV field as RFC 4180 writes it.
#pragma once

#include <string>
#include <string_view>

namespace pc::process {

// `s` as is when it has no ',', '"', CR or LF; otherwise in double quotes with every '"'
// doubled. Interface names may contain commas ("a,b" is a valid name), mount points anything.
inline void append_csv_field(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace pc::process
