// The collection line format: {"timestamp":N,"subsystem":"...","measurement":"..."}\n
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pc/record/record.hpp"

namespace pc::record {

// Appends one line (with its trailing '\n'), byte-identical to the original's json.Encoder.
void encode_record(const Record& record, std::string& out);
std::string encode_record(const Record& record);

// The measurement's text, whichever form the record holds it in (see measurement_is_json).
std::string measurement_text(const Record& record);

// Appends every record of a tick: what one atomic append writes.
void encode_tick(const Tick& tick, std::string& out);

struct DecodeResult {
    std::optional<Record> record;
    std::string error;  // set when record is empty: what is wrong with the line
};

// Decodes one line (without its '\n'; a trailing '\r' or spaces are tolerated). The canonical
// form takes a fast path; any other valid JSON object with an integer "timestamp" and string
// "subsystem" and "measurement" is accepted too (extra keys are ignored).
DecodeResult decode_record(std::string_view line);

}  // namespace pc::record
