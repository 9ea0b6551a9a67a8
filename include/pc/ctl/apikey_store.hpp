// pcctl apikey ... --store URI: the keys kept in pcd's PostgreSQL database (access_keys, see
// store/pg_key_table.hpp) instead of a key file, so that every pcd replica on that database
// accepts them (each reads them again every PCD_KEYS_REFRESH and on SIGHUP). Only hashes are
// stored, as in the files.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pc/store/pg_connect_info.hpp"
#include "pc/store/pg_connection.hpp"
#include "pc/store/pg_key_table.hpp"

namespace pc::ctl {

// The database that `store` names (--store / PCD_STORE), or nullopt for "file" or nothing: the
// key files. `name` is what the user set (flag or variable), for a UsageError on a malformed
// URI; `password_file` (--store-password-file / PCD_STORE_PASSWORD_FILE) may be empty.
std::optional<store::PgConnectInfo> key_database(const std::string& store, const std::string& name,
                                                 const std::string& password_file);

// Connects and brings the schema up to date (as pcd does at start: pcctl may come first).
// Throws UserError, one line naming the URI without its password, when that fails.
std::unique_ptr<store::PgConnection> open_key_database(const store::PgConnectInfo& info);

// Stores the hash of `key` (validated as add_api_key does) with the identifier patterns.
// Throws UserError when that kind already has it.
store::DatabaseKey add_database_key(store::PgConnection& conn, store::KeyKind kind,
                                    const std::string& key,
                                    const std::vector<std::string>& identifiers);

// Deletes the key of `kind` with this fingerprint (a unique prefix of at least 4 hex digits).
// Throws UserError when no key or several match.
store::DatabaseKey remove_database_key(store::PgConnection& conn, store::KeyKind kind,
                                       const std::string& fingerprint);

// How the replicas pick up a change to the database's keys.
std::string database_reload_hint();

}  // namespace pc::ctl
