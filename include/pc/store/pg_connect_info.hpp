// Where the PostgreSQL store connects: the URI the operator gave (PCD_STORE, pcctl --store)
// and the password kept apart from it. What is shown in logs and errors is the URI without any
// password (redacted_uri): the password comes from PGPASSWORD, ~/.pgpass (libpq reads both) or
// a password file (PCD_STORE_PASSWORD_FILE), never printed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pc::store {

struct PgConnectInfo {
    std::string uri;                      // postgresql://user@host:port/db?...
    std::optional<std::string> password;  // from a password file; nullopt: libpq's own sources
    std::string application_name = "pcd";
};

// True for "postgresql://..." and "postgres://..." (libpq's two URI schemes).
bool is_postgres_uri(std::string_view text);

// The URI with the password of its user part and any password= parameter removed.
std::string redacted_uri(std::string_view uri);

// Checks `uri` with libpq's parser and reads the first line of `password_file` (when given).
// Throws core::UsageError naming `name` (the flag or variable) for a malformed URI, and
// core::UserError for an unreadable or empty password file.
PgConnectInfo make_connect_info(const std::string& uri, const std::string& name,
                                const std::optional<std::filesystem::path>& password_file);

}  // namespace pc::store
