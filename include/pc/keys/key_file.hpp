// API-key files shared by pcd (reads them) and pcctl (administers them): one key per line,
// optionally followed by the identifiers it may write: "<key or sha256:hex> web-* db-01".
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pc::keys {

// Keys shorter than this are ignored (the original's rule).
inline constexpr std::size_t kMinKeyLength = 8;

// A key file line may hold the key itself or, written by pcctl, only its SHA-256:
// "sha256:<64 hex digits>". pcd compares hashes, so the file alone never reveals a key.
inline constexpr std::string_view kHashPrefix = "sha256:";

struct KeyEntry {
    std::size_t line = 0;  // 1-based line number in the file
    std::string key;       // the key; for a hashed line, its SHA-256 in lower-case hex
    bool hashed = false;
    // Identifier patterns ('*' any run, '?' one character) the key may write; empty: any.
    std::vector<std::string> identifiers = {};

    // Whether this key may store records under `identifier`.
    bool allows(std::string_view identifier) const;

    // Lower-case hex SHA-256 of the key: what pcd compares.
    std::string digest_hex() const;
    // As key_fingerprint(key): the first 12 digits of digest_hex().
    std::string fingerprint() const { return digest_hex().substr(0, 12); }
};

// The line pcctl stores for `key`: "sha256:" and the hex SHA-256 of the key, then the
// identifier patterns it is bound to, if any, separated by spaces.
std::string hashed_key_line(std::string_view key, const std::vector<std::string>& identifiers = {});

// Whether `pattern` is a usable identifier pattern: 1-128 of the identifier characters
// (letters, digits, '.', '_', '-') and the wildcards '*' and '?', not starting with '.'.
bool valid_identifier_pattern(std::string_view pattern);
// Shell-style match of an identifier against a valid pattern.
bool identifier_matches(std::string_view pattern, std::string_view identifier);

struct KeyFile {
    std::vector<KeyEntry> keys;         // usable keys, in file order
    std::vector<std::string> warnings;  // one line each, naming line numbers, never keys
    bool readable_by_others = false;    // mode allows group/other read: worth a warning
};

// Parses key-file text: surrounding whitespace trimmed, blank lines and '#' comments skipped,
// keys shorter than kMinKeyLength ignored with a warning, "sha256:" lines read as hashed keys
// (ignored with a warning unless 64 hex digits follow). Words after the key are identifier
// patterns; a line with an invalid one is ignored with a warning (never widened to "any").
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

// Atomically replaces `path` with `lines` (each followed by '\n'). The new file keeps the owner,
// group and mode of the file it replaces, so a root-run pcctl leaves a key file pcd can still
// read; a new file gets mode 0600 and the owner and group of its directory (created 0700 when
// missing). Throws UserError when the owner cannot be kept (not root, nor that user).
void write_key_file(const std::filesystem::path& path, const std::vector<std::string>& lines);

}  // namespace pc::keys
