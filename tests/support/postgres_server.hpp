// A throw-away PostgreSQL server for tests: initdb into a fresh temporary directory, pg_ctl
// start on a free port of 127.0.0.1 with a socket directory of its own, stopped and removed
// when destroyed (also when a test fails). As root it runs as the `postgres` system user
// (initdb refuses root), which owns the directory. Never touches a system cluster.
// PostgresEnvironment keeps one server per test executable, started on first use.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace pc::test {

class PostgresServer {
public:
    // The one role that must authenticate with a password (scram-sha-256 over 127.0.0.1);
    // the test creates it with the password it wants.
    static constexpr const char* kPasswordRole = "pc_password_user";

    // Throws std::runtime_error (with initdb's or the server's log) when it cannot start.
    // `durable`: fsync as in production (benchmarks); else off (see start()).
    explicit PostgresServer(bool durable = false);
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // postgresql://postgres@127.0.0.1:<port>/<database> (trust authentication: no password).
    std::string uri(const std::string& database = "postgres") const;
    int port() const { return port_; }
    // A new empty database; returns its URI.
    std::string create_database(const std::string& name);
    // Runs SQL as the superuser on `database` (psql-free: libpq), returns the first value of
    // the last statement's first row ("" when none).
    std::string query(const std::string& sql, const std::string& database = "postgres") const;
    // A fast shutdown, and a start on the same port (waits until it accepts connections).
    void stop();
    void start();
    bool running() const { return running_; }
    // Every new transaction read-only (default_transaction_read_only, reloaded), or not.
    void set_read_only(bool on);
    const std::filesystem::path& log_path() const { return log_; }

private:
    void set_up();
    void start_guard();
    void stop_guard();
    // argv run as the server's owner (runuser when we are root).
    std::vector<std::string> as_owner(std::vector<std::string> argv) const;
    void wait_ready() const;

    std::filesystem::path bindir_;
    std::filesystem::path root_;  // temp dir: data/, socket/, server.log
    std::filesystem::path data_;
    std::filesystem::path socket_dir_;
    std::filesystem::path log_;
    int port_ = 0;
    bool running_ = false;
    bool started_once_ = false;  // a restart keeps the port: clients hold URIs naming it
    bool durable_ = false;
    int guard_pid_ = -1;
    int guard_fd_ = -1;  // closing it makes the guard stop the server and remove root_
};

// Where PostgreSQL's server programs are: $PC_PG_BINDIR, else the newest
// /usr/lib/postgresql/<n>/bin holding initdb. Empty when not installed.
std::filesystem::path postgres_bindir();

// One server for the whole test executable (gtest global environment): server() starts it
// on first use; TearDown (end of the run) stops and removes it.
class PostgresEnvironment : public ::testing::Environment {
public:
    static PostgresServer& server();
    void TearDown() override;
};

}  // namespace pc::test
