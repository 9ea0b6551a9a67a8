// Go JSON strings, both directions. Encoding arbitrary bytes must give a JSON string that an
// independent parser (nlohmann) reads back as our decoder does; decoding must agree with
// nlohmann on every string nlohmann accepts.
#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "pc/record/go_json.hpp"

namespace {

void check_encode(std::string_view bytes) {
    std::string quoted;
    pc::record::append_go_json_string(quoted, bytes);
    FUZZ_CHECK(quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"');
    for (char c : quoted) {
        auto u = static_cast<unsigned char>(c);
        FUZZ_CHECK(u >= 0x20 && c != '<' && c != '>' && c != '&');  // HTML-safe, no raw controls
    }
    auto ours =
        pc::record::decode_json_string_body(std::string_view(quoted).substr(1, quoted.size() - 2));
    FUZZ_CHECK(ours.has_value());
    FUZZ_CHECK(pc::fuzz::valid_utf8(*ours));
    if (pc::fuzz::valid_utf8(bytes)) FUZZ_CHECK(*ours == bytes);
    auto theirs = nlohmann::json::parse(quoted, nullptr, false);
    FUZZ_CHECK(!theirs.is_discarded() && theirs.is_string());
    FUZZ_CHECK(theirs.get_ref<const std::string&>() == *ours);
}

void check_decode(std::string_view body) {
    auto ours = pc::record::decode_json_string_body(body);
    std::string quoted = "\"" + std::string(body) + "\"";
    auto theirs = nlohmann::json::parse(quoted, nullptr, false);
    // nlohmann rejects lone surrogates and invalid UTF-8 where Go (and we) substitute U+FFFD,
    // and it stops at a NUL byte as if the input ended there, so only NUL-free strings it
    // accepts are compared.
    bool comparable = body.find('\0') == std::string_view::npos;
    if (comparable && !theirs.is_discarded() && theirs.is_string()) {
        FUZZ_CHECK(ours.has_value());
        FUZZ_CHECK(*ours == theirs.get_ref<const std::string&>());
    }
    if (ours) check_encode(*ours);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto input = pc::fuzz::as_view(data, size);
    check_encode(input);
    check_decode(input);
    return 0;
}
