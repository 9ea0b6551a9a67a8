#include "pc/store/pg_connect_info.hpp"

#include <libpq-fe.h>

#include <cerrno>
#include <fstream>
#include <memory>

#include "pc/core/error.hpp"

namespace pc::store {

bool is_postgres_uri(std::string_view text) {
    return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string redacted_uri(std::string_view uri) {
    std::string out(uri);
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto start = scheme + 3;
        const auto end = out.find_first_of("/?", start);
        const auto authority_end = end == std::string::npos ? out.size() : end;
        const auto at = out.rfind('@', authority_end);
        if (at != std::string::npos && at >= start) {
            const auto colon = out.find(':', start);
            if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
        }
    }
    // password=... among the query parameters, up to the next '&'.
    for (auto q = out.find('?'); q != std::string::npos;) {
        auto p = out.find("password=", q);
        if (p == std::string::npos) break;
        if (out[p - 1] != '?' && out[p - 1] != '&') {
            q = p + 1;
            continue;
        }
        auto amp = out.find('&', p);
        out.erase(p + 9, (amp == std::string::npos ? out.size() : amp) - (p + 9));
        out.insert(p + 9, "REDACTED");
        q = p + 1;
    }
    return out;
}

PgConnectInfo make_connect_info(const std::string& uri, const std::string& name,
                                const std::optional<std::filesystem::path>& password_file) {
    if (!is_postgres_uri(uri)) {
        throw core::UsageError(name + ": \"" + redacted_uri(uri) +
                               "\" is neither file nor a postgresql:// URI, e.g. "
                               "postgresql://pcd@db.example:5432/pcd");
    }
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(
        PQconninfoParse(uri.c_str(), &error), &PQconninfoFree);
    if (!parsed) {
        std::string why = error ? error : "out of memory";
        PQfreemem(error);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        // libpq may quote a piece of the URI: never one holding the password.
        const std::string safe = redacted_uri(uri);
        if (safe != uri) why = "malformed";
        throw core::UsageError(name + ": cannot read the PostgreSQL URI \"" + safe + "\": " + why +
                               " (form: postgresql://user@host:5432/database?sslmode=require)");
    }
    PgConnectInfo info;
    info.uri = uri;
    if (password_file) {
        std::ifstream in(*password_file);
        if (!in) {
            throw core::UserError("cannot read the store password file " + password_file->string() +
                                  ": " + core::errno_text(errno) + " (PCD_STORE_PASSWORD_FILE)");
        }
        std::string line;
        std::getline(in, line);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) {
            throw core::UserError("the store password file " + password_file->string() +
                                  " is empty; put the password on its first line "
                                  "(PCD_STORE_PASSWORD_FILE)");
        }
        info.password = std::move(line);
    }
    return info;
}

}  // namespace pc::store
