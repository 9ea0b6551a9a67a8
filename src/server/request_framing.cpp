#include "pc/server/request_framing.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "pc/core/strings.hpp"

namespace pc::server {

namespace {

// End of the head: the blank line, "\r\n\r\n" or a bare "\n\n" (httplib accepts both).
std::optional<std::size_t> head_end(std::string_view s) {
    for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) {
        if (i + 1 < s.size() && s[i + 1] == '\n') return i + 2;
        if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') return i + 3;
    }
    return std::nullopt;
}

struct BodyFraming {
    std::optional<std::uint64_t> content_length;
    bool chunked_or_continue = false;
    bool unreadable_length = false;  // a worker lets httplib answer it (400)
};

BodyFraming body_framing(std::string_view head) {
    BodyFraming out;
    std::size_t pos = head.find('\n');  // skip the request line
    while (pos != std::string_view::npos && pos + 1 < head.size()) {
        std::size_t next = head.find('\n', pos + 1);
        std::string_view line =
            head.substr(pos + 1, next == std::string_view::npos ? head.npos : next - pos - 1);
        pos = next;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::string_view name = core::trim_blanks(line.substr(0, colon));
        std::string_view value = core::trim_blanks(line.substr(colon + 1));
        if (core::iequals(name, "content-length")) {
            std::uint64_t n = 0;
            bool ok = !value.empty() && value.size() <= 18;
            for (char c : value) {
                if (c < '0' || c > '9') ok = false;
                n = n * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (ok) {
                out.content_length = n;
            } else {
                out.unreadable_length = true;
            }
        } else if (core::iequals(name, "transfer-encoding") || core::iequals(name, "expect")) {
            out.chunked_or_continue = true;
        }
    }
    return out;
}

}  // namespace

Framing assess_request(std::string_view buffered, const FramingLimits& limits) {
    auto end = head_end(buffered);
    if (!end)
        return buffered.size() > limits.head_max ? Framing::head_too_large : Framing::need_more;
    if (*end > limits.head_max) return Framing::head_too_large;
    BodyFraming body = body_framing(buffered.substr(0, *end));
    if (body.chunked_or_continue || body.unreadable_length || !body.content_length) {
        return Framing::ready;
    }
    if (*body.content_length > limits.body_cap) return Framing::ready;
    return buffered.size() - *end >= *body.content_length ? Framing::ready : Framing::need_more;
}

}  // namespace pc::server
