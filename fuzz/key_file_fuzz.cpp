// API-key files: every accepted key is long enough, has no whitespace, is not a comment, and
// appears on the line it is attributed to (verbatim, or as the lower-case digest of a sha256:
// line); the identifiers it is bound to are valid patterns.
#include <cctype>

#include "fuzz_check.hpp"
#include "pc/keys/key_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = pc::fuzz::as_view(data, size);
    auto parsed = pc::keys::parse_key_file(text);
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n';
    std::size_t previous_line = 0;
    for (const auto& entry : parsed.keys) {
        FUZZ_CHECK(entry.key.size() >= pc::keys::kMinKeyLength);
        FUZZ_CHECK(entry.key.front() != '#');
        for (char c : entry.key) FUZZ_CHECK(!std::isspace(static_cast<unsigned char>(c)));
        FUZZ_CHECK(entry.line > previous_line && entry.line <= lines);
        previous_line = entry.line;
        // Bindings are valid patterns, and a pattern without wildcards allows exactly itself.
        for (const auto& pattern : entry.identifiers) {
            FUZZ_CHECK(pc::keys::valid_identifier_pattern(pattern));
            if (pattern.find_first_of("*?") == std::string::npos) {
                FUZZ_CHECK(pc::keys::identifier_matches(pattern, pattern));
                FUZZ_CHECK(!pc::keys::identifier_matches(pattern, pattern + "x"));
            }
            FUZZ_CHECK(entry.allows(pattern) || pattern.find_first_of("*?") != std::string::npos);
        }
        // Warnings name line numbers only, so an accepted key shows up in one only when it is
        // also a word of the fixed warning text (e.g. "whitespace,").
        for (const auto& w : parsed.warnings) {
            bool in_template =
                entry.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789:,'()-._*?") ==
                std::string::npos;
            FUZZ_CHECK(w.find(entry.key) == std::string::npos || in_template);
        }
    }
    for (const auto& w : parsed.warnings) FUZZ_CHECK(w.find('\n') == std::string::npos);
    if (!parsed.keys.empty()) {
        const auto& k = parsed.keys.front().key;
        FUZZ_CHECK(pc::keys::constant_time_equal(k, k));
        FUZZ_CHECK(pc::keys::key_fingerprint(k).size() == 12);
    }
    return 0;
}
