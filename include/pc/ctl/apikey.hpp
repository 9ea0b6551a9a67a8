// pcctl apikey generate|add|list|remove: administration of pcd's key files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pc/ctl/command.hpp"

namespace pc::ctl {

// pcd's home when neither --home nor PCD_HOME is given: the home directory of `service_user`
// (the installed service's account, /var/lib/pcd from the package) when that user and directory
// exist, so root and the pcd user edit the files the service reads; else ~/.pcd, pcd's own
// default for a pcd run by hand.
std::filesystem::path default_home(const char* service_user = "pcd");

// The key file a command works on: `file` when given, else (with `admin`) PCD_ADMINKEYS_FILE or
// <home>/adminkeys, else PCD_APIKEYS_FILE or <home>/apikeys -- the same defaults pcd uses.
std::filesystem::path key_file_path(const GlobalOptions& global, const std::string& file);

struct ListedKey {
    std::size_t line = 0;
    std::string fingerprint;
    std::vector<std::string> identifiers;  // patterns the key is bound to; empty: any
};

struct KeyListing {
    std::vector<ListedKey> keys;        // usable keys, never the keys themselves
    std::vector<std::string> warnings;  // ignored lines, by line number
    bool readable_by_others = false;
    std::size_t plain = 0;  // keys stored in plain text rather than hashed
};

// Throws UserError (with how to create it) when the file is missing.
KeyListing list_api_keys(const std::filesystem::path& file);

// The key to store, trimmed, once it passes pcd's rules (at least 8 characters, no whitespace,
// not a comment, a valid "sha256:" line when hashed) and the patterns are valid: else UserError
// (UsageError for a bad --identifier) saying how to get a good one.
std::string checked_new_key(const std::string& key, const std::vector<std::string>& identifiers);

// Appends the hash of `key` ("sha256:<hex>"; validated as pcd would: at least 8 characters,
// no whitespace, not a comment, not already present, plain or hashed). Creates the file (0600,
// directory 0700) when missing. Returns the new entry's line number and fingerprint.
// `identifiers`: patterns ('*', '?') the key may write (pcd refuses others with 403); empty: any.
ListedKey add_api_key(const std::filesystem::path& file, const std::string& key,
                      const std::vector<std::string>& identifiers = {});

// Removes every line holding the key with this fingerprint (a unique prefix of at least 4 hex
// digits is accepted). Throws UserError when nothing or more than one key matches.
std::vector<ListedKey> remove_api_key_by_fingerprint(const std::filesystem::path& file,
                                                     const std::string& fingerprint);

// Removes the key on this line (usable or ignored, not a comment or a blank line).
ListedKey remove_api_key_by_line(const std::filesystem::path& file, std::size_t line);

// Replaces every plain key line by its hash; comments, blank and ignored lines stay. Returns how
// many were replaced (the file is rewritten only when that is more than 0).
std::size_t hash_key_file(const std::filesystem::path& file);

// How to make a running pcd re-read its key files.
std::string reload_hint();

void register_apikey_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
