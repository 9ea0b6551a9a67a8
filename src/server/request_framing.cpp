#include "pc/server/request_framing.hpp"

#include <algorithm>
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

struct HeadFields {
    std::string_view path;  // request target without its query
    std::vector<std::string_view> content_lengths;
    std::optional<std::string_view> transfer_encoding;
    std::optional<std::string_view> expect;
};

HeadFields head_fields(std::string_view head) {
    HeadFields out;
    std::string_view request_line = head.substr(0, head.find('\n'));
    std::size_t target = request_line.find(' ');
    if (target != std::string_view::npos) {
        std::string_view rest = request_line.substr(target + 1);
        out.path = rest.substr(0, std::min(rest.find(' '), rest.find('?')));
    }
    std::size_t pos = head.find('\n');
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
            out.content_lengths.push_back(value);
        } else if (core::iequals(name, "transfer-encoding")) {
            out.transfer_encoding = value;
        } else if (core::iequals(name, "expect")) {
            out.expect = value;
        }
    }
    return out;
}

// 1 to 18 decimal digits (no sign, no list): anything else cannot be a body length we accept.
std::optional<std::uint64_t> parse_length(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

bool ends_in_chunked(std::string_view codings) {
    std::size_t comma = codings.rfind(',');
    std::string_view last =
        core::trim_blanks(comma == std::string_view::npos ? codings : codings.substr(comma + 1));
    return core::iequals(last, "chunked");
}

Assessment refuse(int status, std::string message) {
    Assessment a;
    a.state = Framing::refuse;
    a.status = status;
    a.message = std::move(message);
    return a;
}

std::string kib(std::size_t bytes) {
    return bytes % 1024 == 0 ? std::to_string(bytes / 1024) + " KiB"
                             : std::to_string(bytes) + " bytes";
}

}  // namespace

Assessment assess_request(std::string_view buffered, const FramingLimits& limits) {
    auto end = head_end(buffered);
    if ((!end && buffered.size() > limits.head_max) || (end && *end > limits.head_max)) {
        return refuse(431, "request head larger than " + kib(limits.head_max) + ": refused");
    }
    if (!end) return {};
    HeadFields head = head_fields(buffered.substr(0, *end));
    if (head.transfer_encoding) {
        if (!head.content_lengths.empty()) {
            return refuse(400, "both Transfer-Encoding and Content-Length: ambiguous framing");
        }
        if (!ends_in_chunked(*head.transfer_encoding)) {
            return refuse(400, "Transfer-Encoding does not end in chunked: body length unknown");
        }
        return refuse(411, "chunked request bodies are not accepted: send Content-Length");
    }
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < head.content_lengths.size(); ++i) {
        auto n = parse_length(head.content_lengths[i]);
        if (!n) return refuse(400, "invalid Content-Length: expected a number of bytes");
        if (i > 0 && *n != length) return refuse(400, "conflicting Content-Length headers");
        length = *n;
    }
    if (head.expect && !core::iequals(*head.expect, "100-continue")) {
        return refuse(417, "unsupported Expect: only 100-continue is understood");
    }
    const bool large = std::find(limits.large_body_paths.begin(), limits.large_body_paths.end(),
                                 head.path) != limits.large_body_paths.end();
    const std::uint64_t cap = large ? limits.body_cap : limits.small_body_cap;
    if (length > cap) {
        return refuse(413, "request body of " + std::to_string(length) +
                               " bytes exceeds the limit of " + std::to_string(cap) + " bytes" +
                               (large ? " (PCD_MAXBODY)" : " for this route"));
    }
    Assessment a;
    a.head_complete = true;
    a.body_length = length;
    a.expects_continue = head.expect.has_value();
    if (buffered.size() - *end >= length) a.state = Framing::ready;
    return a;
}

}  // namespace pc::server
