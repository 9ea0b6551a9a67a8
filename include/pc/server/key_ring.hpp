// The keys pcd accepts: machine API keys (trickle) and admin keys (/v1/machines), reloadable
// on SIGHUP while requests are being served.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pc/keys/key_file.hpp"

namespace pc::server {

// An immutable set of keys, held as SHA-256 digests only (key files may hold the keys or their
// hashes). Lookup hashes the presented key, finds the candidates by fingerprint and compares
// digests in constant time: timing reveals nothing about stored keys.
class KeySet {
public:
    KeySet() = default;
    explicit KeySet(const std::vector<keys::KeyEntry>& keys);
    bool contains(std::string_view key) const;
    // Whether the key with this SHA-256 (lower-case hex) is in the set: for holders of a key's
    // digest only, such as a dashboard session.
    bool contains_digest(std::string_view digest) const;
    // For a trickle: unknown key, a key bound to other identifiers, or allowed.
    enum class Access { unknown_key, other_identifier, allowed };
    Access check(std::string_view key, std::string_view identifier) const;
    std::size_t size() const { return size_; }

private:
    struct Stored {
        std::string digest;                    // lower-case hex SHA-256
        std::vector<std::string> identifiers;  // patterns; empty: any identifier
    };
    const Stored* find(std::string_view key) const;
    const Stored* find_digest(std::string_view digest) const;

    std::unordered_map<std::string, std::vector<Stored>> by_fingerprint_;
    std::size_t size_ = 0;
};

// The key presented by a request: header "apikey", else "Authorization: Bearer <key>", else
// "X-API-Key". Empty headers count as absent.
std::optional<std::string> presented_key(std::string_view apikey, std::string_view authorization,
                                         std::string_view x_api_key);

// The keys of the two files, and with a PostgreSQL store those of the database (pcctl apikey
// --store): pcd accepts their union. Requests read immutable sets; loading the files and
// replacing the database's keys each build new sets and swap them in.
class KeyRing {
public:
    KeyRing(std::filesystem::path apikeys_file, std::filesystem::path adminkeys_file);

    // The keys may also come from a database: a missing API keys file is then no error (the
    // database may hold every key). Call before load().
    void expect_database_keys();

    // Reads both files. A missing or unreadable API keys file throws UserError (at startup that
    // is fatal; on reload the previous keys stay), unless expect_database_keys() was called and
    // it is missing. A missing admin keys file disables the admin routes unless the database
    // holds admin keys. Warnings (short keys by line number, permissive modes) are logged.
    void load();

    // Replaces the keys that came from the database (each `hashed`, its key the digest).
    void set_database_keys(std::vector<keys::KeyEntry> api, std::vector<keys::KeyEntry> admin);

    std::shared_ptr<const KeySet> api_keys() const;
    // nullptr when there is neither an admin keys file nor an admin key in the database.
    std::shared_ptr<const KeySet> admin_keys() const;

private:
    // Builds the union sets from the parts below and swaps them in; the caller holds
    // parts_mutex_.
    void rebuild();

    std::filesystem::path apikeys_file_;
    std::filesystem::path adminkeys_file_;
    std::mutex parts_mutex_;  // the parts below: one reload or refresh at a time
    bool database_ = false;
    std::vector<keys::KeyEntry> file_api_;
    std::optional<std::vector<keys::KeyEntry>> file_admin_;  // nullopt: no admin keys file
    std::vector<keys::KeyEntry> database_api_;
    std::vector<keys::KeyEntry> database_admin_;
    mutable std::mutex mutex_;  // the sets requests read
    std::shared_ptr<const KeySet> api_;
    std::shared_ptr<const KeySet> admin_;
};

}  // namespace pc::server
