#include "pc/api/trickle_scan.hpp"

#include <charconv>
#include <cstdint>

#include "pc/record/go_json.hpp"

namespace pc::api {

namespace {

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    s.remove_prefix(prefix.size());
    return true;
}

// `s` starts just after an opening quote. Takes the string and its closing quote. Gives up
// (false) on what the fast path leaves to the full parser: non-ASCII bytes (the full parser
// validates UTF-8), \u escapes (surrogate rules), raw control characters, invalid escapes.
bool take_string(std::string_view& s, std::string& out) {
    bool escaped = false;
    std::size_t i = 0;
    for (;; ++i) {
        if (i >= s.size()) return false;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"') break;
        if (c < 0x20 || c >= 0x80) return false;
        if (c == '\\') {
            if (i + 1 >= s.size() || s[i + 1] == 'u') return false;
            escaped = true;
            ++i;
        }
    }
    if (!escaped) {
        out.assign(s.data(), i);
    } else {
        auto decoded = record::decode_json_string_body(s.substr(0, i));
        if (!decoded) return false;
        out = std::move(*decoded);
    }
    s.remove_prefix(i + 1);
    return true;
}

// A JSON integer that fits int64: optional '-', no leading zeros, no fraction or exponent.
bool take_integer(std::string_view& s, std::int64_t& out) {
    std::size_t digits_at = !s.empty() && s[0] == '-' ? 1 : 0;
    if (s.size() <= digits_at + 1) return false;  // at least one digit and what follows
    if (s[digits_at] == '0' && s[digits_at + 1] >= '0' && s[digits_at + 1] <= '9') return false;
    auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    if (res.ec != std::errc() || res.ptr == s.data() + s.size()) return false;
    const char next = *res.ptr;
    if (next == '.' || next == 'e' || next == 'E') return false;
    s.remove_prefix(static_cast<std::size_t>(res.ptr - s.data()));
    return true;
}

}  // namespace

std::optional<TrickleRequest> scan_canonical_trickle_request(std::string_view s) {
    TrickleRequest req;
    if (!consume(s, "{\"identifier\":\"") || !take_string(s, req.identifier)) return std::nullopt;
    if (consume(s, ",\"batch_id\":\"")) {
        std::string batch_id;
        if (!take_string(s, batch_id) || batch_id.empty() || batch_id.size() > 128) {
            return std::nullopt;
        }
        req.batch_id = std::move(batch_id);
    }
    if (!consume(s, ",\"measurements\":[")) return std::nullopt;
    if (!consume(s, "]")) {
        for (;;) {
            record::Record& r = req.measurements.emplace_back();
            if (!consume(s, "{\"timestamp\":") || !take_integer(s, r.timestamp) ||
                !consume(s, ",\"subsystem\":\"") || !take_string(s, r.subsystem) ||
                !consume(s, ",\"measurement\":\"") || !take_string(s, r.measurement) ||
                !consume(s, "}")) {
                return std::nullopt;
            }
            if (consume(s, "]")) break;
            if (!consume(s, ",")) return std::nullopt;
        }
    }
    if (s != "}") return std::nullopt;
    return req;
}

}  // namespace pc::api
