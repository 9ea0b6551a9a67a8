// API and admin keys kept in the PostgreSQL store's database (table access_keys, schema
// migration 2), so that every pcd replica on it accepts a key added once by
// `pcctl apikey ... --store URI`. Only the SHA-256 of a key is stored, as in a hashed key file
// line, with the identifier patterns the key may write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/store/pg_connection.hpp"

namespace pc::store {

enum class KeyKind { api, admin };

// "api" or "admin": the kind column's values.
std::string_view key_kind_name(KeyKind kind);

struct DatabaseKey {
    KeyKind kind = KeyKind::api;
    std::string digest;                    // lower-case hex SHA-256 of the key
    std::vector<std::string> identifiers;  // patterns the key may write; empty: any
    std::int64_t created = 0;              // Unix seconds

    // The first 12 hex digits of the digest, as keys::key_fingerprint.
    std::string fingerprint() const { return digest.substr(0, 12); }
    bool operator==(const DatabaseKey&) const = default;
};

// Stores `key` (its `created` is set by the database when 0). False when a key of that kind
// with that digest is already stored. Throws std::invalid_argument for a digest that is not 64
// lower-case hex digits, PgError when the database fails.
bool insert_database_key(PgConnection& conn, const DatabaseKey& key);

// The stored keys of `kind` (every kind when nullopt), oldest first. Throws PgError.
std::vector<DatabaseKey> list_database_keys(PgConnection& conn,
                                            std::optional<KeyKind> kind = std::nullopt);

// Deletes the key of `kind` with this digest; false when there was none. Throws PgError.
bool delete_database_key(PgConnection& conn, KeyKind kind, std::string_view digest);

}  // namespace pc::store
