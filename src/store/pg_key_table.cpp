#include "pc/store/pg_key_table.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace pc::store {

namespace {

bool is_digest(std::string_view digest) {
    return digest.size() == 64 && std::all_of(digest.begin(), digest.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f');
           });
}

std::string join_patterns(const std::vector<std::string>& identifiers) {
    std::string out;
    for (const auto& pattern : identifiers) {
        if (!out.empty()) out += ' ';
        out += pattern;
    }
    return out;
}

std::vector<std::string> split_patterns(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t space = text.find(' ', start);
        if (space == std::string_view::npos) space = text.size();
        if (space > start) out.emplace_back(text.substr(start, space - start));
        start = space + 1;
    }
    return out;
}

}  // namespace

std::string_view key_kind_name(KeyKind kind) {
    return kind == KeyKind::admin ? "admin" : "api";
}

bool insert_database_key(PgConnection& conn, const DatabaseKey& key) {
    if (!is_digest(key.digest)) {
        throw std::invalid_argument("a stored key must be 64 lower-case hex digits of SHA-256");
    }
    const std::string patterns = join_patterns(key.identifiers);
    const std::string created = std::to_string(key.created);
    const auto result = conn.exec(
        "INSERT INTO access_keys (kind, digest, identifiers, created) VALUES ($1, $2, $3, "
        "CASE WHEN $4::bigint = 0 THEN extract(epoch FROM now())::bigint ELSE $4::bigint END) "
        "ON CONFLICT (kind, digest) DO NOTHING",
        {{key_kind_name(key.kind)}, {key.digest}, {patterns}, {created}});
    return result.affected() == 1;
}

std::vector<DatabaseKey> list_database_keys(PgConnection& conn, std::optional<KeyKind> kind) {
    const std::string sql =
        "SELECT kind, digest, identifiers, created FROM access_keys WHERE $1::text IS NULL OR "
        "kind = $1 ORDER BY created, kind, digest";
    const auto result = conn.exec(sql, {kind ? PgParam{key_kind_name(*kind)} : PgParam{}});
    std::vector<DatabaseKey> keys;
    keys.reserve(static_cast<std::size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) {
        keys.push_back({result.value(row, 0) == "admin" ? KeyKind::admin : KeyKind::api,
                        std::string(result.value(row, 1)), split_patterns(result.value(row, 2)),
                        result.int64(row, 3)});
    }
    return keys;
}

bool delete_database_key(PgConnection& conn, KeyKind kind, std::string_view digest) {
    const auto result = conn.exec("DELETE FROM access_keys WHERE kind = $1 AND digest = $2",
                                  {{key_kind_name(kind)}, {digest}});
    return result.affected() == 1;
}

}  // namespace pc::store
