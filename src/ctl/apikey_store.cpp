#include "pc/ctl/apikey_store.hpp"

#include <algorithm>
#include <cctype>

#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"
#include "pc/ctl/apikey.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/store/pg_schema.hpp"

namespace pc::ctl {

std::optional<store::PgConnectInfo> key_database(const std::string& store, const std::string& name,
                                                 const std::string& password_file) {
    const std::string lowered = core::to_lower(core::trimmed(store));
    if (lowered.empty() || lowered == "file") return std::nullopt;
    std::optional<std::filesystem::path> password;
    if (!password_file.empty()) password = password_file;
    auto info = store::make_connect_info(store, name, password);
    info.application_name = "pcctl";
    return info;
}

std::unique_ptr<store::PgConnection> open_key_database(const store::PgConnectInfo& info) {
    try {
        auto conn = std::make_unique<store::PgConnection>(info);
        store::migrate_schema(*conn);
        return conn;
    } catch (const store::PgError& error) {
        throw core::UserError("cannot use the store database " + store::redacted_uri(info.uri) +
                              ": " + error.what());
    }
}

store::DatabaseKey add_database_key(store::PgConnection& conn, store::KeyKind kind,
                                    const std::string& key,
                                    const std::vector<std::string>& identifiers) {
    const std::string checked = checked_new_key(key, identifiers);
    // "sha256:<hex>" (a key known only by its hash) is stored as that hash.
    const keys::KeyFile parsed = keys::parse_key_file(checked);
    store::DatabaseKey stored{kind, parsed.keys.front().digest_hex(), identifiers, 0};
    if (!store::insert_database_key(conn, stored)) {
        throw core::UserError("key " + stored.fingerprint() + " is already in the database (" +
                              std::string(store::key_kind_name(kind)) + " keys)");
    }
    for (const auto& k : store::list_database_keys(conn, kind)) {
        if (k.digest == stored.digest) return k;
    }
    return stored;
}

store::DatabaseKey remove_database_key(store::PgConnection& conn, store::KeyKind kind,
                                       const std::string& fingerprint) {
    const std::string wanted = core::to_lower(core::trimmed(fingerprint));
    if (wanted.size() < 4 || !std::all_of(wanted.begin(), wanted.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        throw core::UserError("'" + fingerprint +
                              "' is not a key fingerprint (at least 4 hex digits, as shown by "
                              "'pcctl apikey list --store ...')");
    }
    std::vector<store::DatabaseKey> matches;
    for (auto& k : store::list_database_keys(conn, kind)) {
        if (k.digest.starts_with(wanted)) matches.push_back(std::move(k));
    }
    if (matches.empty()) {
        throw core::UserError("no " + std::string(store::key_kind_name(kind)) +
                              " key with fingerprint " + wanted +
                              " in the database; see 'pcctl apikey list --store ...'");
    }
    if (matches.size() > 1) {
        throw core::UserError("fingerprint prefix " + wanted + " matches " +
                              std::to_string(matches.size()) +
                              " keys; give more digits (see 'pcctl apikey list --store ...')");
    }
    if (!store::delete_database_key(conn, kind, matches.front().digest)) {
        throw core::UserError("key " + matches.front().fingerprint() +
                              " was removed meanwhile by someone else");
    }
    return matches.front();
}

std::string database_reload_hint() {
    return "every pcd on this database picks this up within PCD_KEYS_REFRESH (30s by default), "
           "or at once on a reload: systemctl reload pcd (or kill -HUP <pcd pid>)";
}

}  // namespace pc::ctl
