// API-key files shared by pcd (reads them) and pcctl (administers them): one key per line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pc::keys {

// Keys shorter than this are ignored (the original's rule).
inline constexpr std::size_t kMinKeyLength = 8;

struct KeyEntry {
    std::size_t line = 0;  // 1-based line number in the file
    std::string key;
};

struct KeyFile {
    std::vector<KeyEntry> keys;         // usable keys, in file order
    std::vector<std::string> warnings;  // one line each, naming line numbers, never keys
    bool readable_by_others = false;    // mode allows group/other read: worth a warning
};

// Parses key-file text: surrounding whitespace trimmed, blank lines and '#' comments skipped,
// keys shorter than kMinKeyLength or containing whitespace ignored with a warning.
KeyFile parse_key_file(std::string_view text);

// Reads and parses `path`. A missing file is a UserError that says how to create one.
KeyFile load_key_file(const std::filesystem::path& path);

// Short, non-reversible identifier for logs: first 12 hex digits of SHA-256.
std::string key_fingerprint(std::string_view key);

// Comparison whose time depends only on the lengths, not on where the keys differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// `size` bytes from the kernel's CSPRNG (getrandom(2)). Throws std::runtime_error if unavailable.
void fill_random(void* buffer, std::size_t size);

// A new random key: 32 bytes from the OS CSPRNG, URL-safe base64 without padding (43 chars).
std::string generate_api_key();

// Atomically replaces `path` with `lines` (each followed by '\n'), mode 0600; creates the
// parent directory (0700) when missing.
void write_key_file(const std::filesystem::path& path, const std::vector<std::string>& lines);

}  // namespace pc::keys
