#include "pc/store/batch_index.hpp"

#include <charconv>

#include "pc/record/go_json.hpp"

namespace pc::store {

namespace {

template <typename T>
bool parse_field(std::string_view& rest, T& value, int base = 10) {
    auto space = rest.find(' ');
    if (space == std::string_view::npos) return false;
    auto field = rest.substr(0, space);
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value, base);
    if (ec != std::errc() || ptr != field.data() + field.size() || field.empty()) return false;
    rest.remove_prefix(space + 1);
    return true;
}

}  // namespace

void append_index_line(const IndexEntry& e, std::string& out) {
    char crc[9];
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) crc[i] = hex[(e.crc >> (28 - 4 * i)) & 0xF];
    crc[8] = '\0';
    out += std::to_string(e.offset);
    out += ' ';
    out += std::to_string(e.length);
    out += ' ';
    out += crc;
    out += ' ';
    out += std::to_string(e.records);
    out += ' ';
    out += std::to_string(e.total_records);
    out += ' ';
    out += std::to_string(e.first_timestamp);
    out += ' ';
    out += std::to_string(e.last_timestamp);
    out += ' ';
    out += std::to_string(e.received_ms);
    out += ' ';
    if (e.batch_id) {
        record::append_go_json_string(out, *e.batch_id);
    } else {
        out += '-';
    }
    out += '\n';
}

std::optional<IndexEntry> parse_index_line(std::string_view line) {
    IndexEntry e;
    std::string_view rest = line;
    if (!parse_field(rest, e.offset) || !parse_field(rest, e.length) ||
        !parse_field(rest, e.crc, 16) || !parse_field(rest, e.records) ||
        !parse_field(rest, e.total_records) || !parse_field(rest, e.first_timestamp) ||
        !parse_field(rest, e.last_timestamp) || !parse_field(rest, e.received_ms)) {
        return std::nullopt;
    }
    if (rest == "-") return e;
    if (rest.size() < 2 || rest.front() != '"' || rest.back() != '"') return std::nullopt;
    auto id = record::decode_json_string_body(rest.substr(1, rest.size() - 2));
    if (!id || id->empty()) return std::nullopt;
    e.batch_id = std::move(*id);
    return e;
}

}  // namespace pc::store
