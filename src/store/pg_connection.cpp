#include "pc/store/pg_connection.hpp"

#include <libpq-fe.h>

#include <cstring>

namespace pc::store {

namespace {

// libpq's messages end in newlines and may span lines ("connection to server ... failed:\n
// ..."): one line for logs and answers.
std::string one_line(const char* text) {
    std::string out;
    for (const char* p = text ? text : ""; *p; ++p) {
        if (*p == '\n') {
            if (p[1] != '\0') out += "; ";
        } else {
            out += *p;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
    return out.empty() ? std::string("unknown error") : out;
}

}  // namespace

void PgResult::Free::operator()(pg_result* r) const {
    PQclear(r);
}

PgResult::PgResult(pg_result* result) : result_(result) {}

int PgResult::rows() const {
    return PQntuples(result_.get());
}

bool PgResult::is_null(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view PgResult::value(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t PgResult::int64(int row, int column) const {
    return std::stoll(std::string(value(row, column)));
}

std::int64_t PgResult::binary_int64(int row, int column) const {
    const auto v = value(row, column);
    if (v.size() != 8)
        throw PgError("unexpected binary integer of " + std::to_string(v.size()) + " bytes", "",
                      false);
    std::uint64_t x = 0;
    for (char c : v) x = (x << 8) | static_cast<unsigned char>(c);
    return static_cast<std::int64_t>(x);
}

std::uint64_t PgResult::affected() const {
    const char* n = PQcmdTuples(result_.get());
    return n && *n ? std::stoull(n) : 0;
}

void PgConnection::Finish::operator()(pg_conn* c) const {
    PQfinish(c);
}

PgConnection::PgConnection(const PgConnectInfo& info) {
    // Keywords before "dbname" are defaults the URI may override; the password after it wins.
    std::vector<const char*> keys{"connect_timeout", "fallback_application_name", "dbname"};
    std::vector<const char*> values{"5", info.application_name.c_str(), info.uri.c_str()};
    if (info.password) {
        keys.push_back("password");
        values.push_back(info.password->c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!conn_) throw PgError("cannot connect: out of memory", "", true);
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
        throw PgError(one_line(PQerrorMessage(conn_.get())), "", true);
    }
    // Notices ("relation ... already exists, skipping") are not errors: not printed.
    PQsetNoticeProcessor(
        conn_.get(), [](void*, const char*) {}, nullptr);
}

PgResult PgConnection::checked(pg_result* raw) {
    PgResult result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const bool lost = PQstatus(conn_.get()) != CONNECTION_OK;
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    const char* message = raw ? PQresultErrorMessage(raw) : nullptr;
    throw PgError(one_line(message && *message ? message : PQerrorMessage(conn_.get())),
                  state ? state : "", lost);
}

PgResult PgConnection::exec(const std::string& sql) {
    return checked(PQexec(conn_.get(), sql.c_str()));
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<PgParam>& params,
                            bool binary_result) {
    // Text parameters need a terminating NUL: copies of the views that are not binary.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size());
    std::vector<int> formats(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        if (!p.value) continue;
        if (p.binary) {
            values[i] = p.value->data();
            lengths[i] = static_cast<int>(p.value->size());
            formats[i] = 1;
        } else {
            texts[i] = std::string(*p.value);
            values[i] = texts[i].c_str();
        }
    }
    return checked(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                                values.data(), lengths.data(), formats.data(),
                                binary_result ? 1 : 0));
}

bool PgConnection::idle() const {
    return PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
}

}  // namespace pc::store
