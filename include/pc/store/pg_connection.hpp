// One libpq connection and its results, owned (RAII), with the few calls the PostgreSQL store
// makes: a statement with parameters (text, or binary for bytea), and reading the answer.
// libpq's types are only forward-declared here: what includes this needs no libpq headers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pc/store/pg_connect_info.hpp"

struct pg_conn;
struct pg_result;

namespace pc::store {

// A failed connection or statement. The message is one line without the password;
// `sqlstate` is PostgreSQL's five-character code ("" when the connection failed),
// `connection_lost` says the connection is unusable (the pool drops it).
class PgError : public std::runtime_error {
public:
    PgError(const std::string& message, std::string sqlstate, bool connection_lost)
        : std::runtime_error(message),
          sqlstate_(std::move(sqlstate)),
          connection_lost_(connection_lost) {}
    const std::string& sqlstate() const { return sqlstate_; }
    bool connection_lost() const { return connection_lost_; }
    // 25006: read_only_sql_transaction (a read-only server or a standby).
    bool read_only() const { return sqlstate_ == "25006"; }

private:
    std::string sqlstate_;
    bool connection_lost_;
};

// One statement parameter: text (numbers as decimal), or raw bytes for a bytea; nullopt: NULL.
struct PgParam {
    std::optional<std::string_view> value;
    bool binary = false;
};

class PgResult {
public:
    explicit PgResult(pg_result* result);
    int rows() const;
    bool is_null(int row, int column) const;
    std::string_view value(int row, int column) const;
    // A text-format integer column.
    std::int64_t int64(int row, int column) const;
    // A binary-format int8 column (network byte order).
    std::int64_t binary_int64(int row, int column) const;
    // The number of rows a DELETE/UPDATE/INSERT touched.
    std::uint64_t affected() const;

private:
    struct Free {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Free> result_;
};

class PgConnection {
public:
    // Connects (bounded by connect_timeout, 5 s unless the URI says otherwise). Throws PgError.
    explicit PgConnection(const PgConnectInfo& info);
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs `sql` (no parameters; may hold several statements). Throws PgError.
    PgResult exec(const std::string& sql);
    // One statement with $1..$n; `binary_result` asks for every column in binary format.
    PgResult exec(const std::string& sql, const std::vector<PgParam>& params,
                  bool binary_result = false);
    // The connection works and no transaction is left open.
    bool idle() const;

private:
    struct Finish {
        void operator()(pg_conn* c) const;
    };
    PgResult checked(pg_result* result);
    std::unique_ptr<pg_conn, Finish> conn_;
};

}  // namespace pc::store
