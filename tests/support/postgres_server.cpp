#include "postgres_server.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "pc/store/pg_connection.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace pc::test {

namespace {

std::unique_ptr<PostgresServer>& shared_server() {
    static std::unique_ptr<PostgresServer> server;
    return server;
}

std::string tail_of(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return "";
    std::string text = read_file(path);
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

}  // namespace

fs::path postgres_bindir() {
    if (const char* env = std::getenv("PC_PG_BINDIR"); env && *env) return env;
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
    }
    if (found.empty()) return {};
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        return std::stoi(a.parent_path().filename().string()) <
               std::stoi(b.parent_path().filename().string());
    });
    return found.back();
}

std::vector<std::string> PostgresServer::as_owner(std::vector<std::string> argv) const {
    if (::geteuid() != 0) return argv;
    // runuser is in util-linux (every Debian); Child runs programs by path.
    std::string runuser = "/usr/sbin/runuser";
    if (!fs::exists(runuser)) runuser = "/sbin/runuser";
    argv.insert(argv.begin(), {runuser, "-u", "postgres", "--"});
    return argv;
}

PostgresServer::PostgresServer(bool durable) : durable_(durable) {
    try {
        set_up();
    } catch (...) {
        stop_guard();
        std::error_code ec;
        if (!root_.empty()) fs::remove_all(root_, ec);
        throw;
    }
}

// A process that waits for the test process to go away, however it goes (a crash, a timeout's
// SIGKILL), and then stops the server and removes its directory: no server outlives its test.
// It holds the read end of a pipe whose write end only the test process has.
void PostgresServer::start_guard() {
    const std::string pg_ctl = (bindir_ / "pg_ctl").string();
    std::string command = "'" + pg_ctl + "' -D '" + data_.string() +
                          "' -m immediate -w stop >/dev/null 2>&1; rm -rf '" + root_.string() + "'";
    if (::geteuid() == 0) {
        command = (fs::exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser") +
                  std::string(" -u postgres -- '") + pg_ctl + "' -D '" + data_.string() +
                  "' -m immediate -w stop >/dev/null 2>&1; rm -rf '" + root_.string() + "'";
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
        // Only async-signal-safe calls until exec: the test process has threads.
        ::close(fds[1]);
        char c = 0;
        while (::read(fds[0], &c, 1) != 0) {
        }
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[0]);
    guard_pid_ = pid;
    guard_fd_ = fds[1];
}

void PostgresServer::stop_guard() {
    if (guard_fd_ < 0) return;
    ::close(guard_fd_);
    guard_fd_ = -1;
    int status = 0;
    while (::waitpid(guard_pid_, &status, 0) < 0 && errno == EINTR) {
    }
}

void PostgresServer::set_up() {
    bindir_ = postgres_bindir();
    if (bindir_.empty()) {
        throw std::runtime_error(
            "PostgreSQL server programs not found (install postgresql-15: bash scripts/setup, "
            "or set PC_PG_BINDIR)");
    }
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("pctest-pg-" + std::to_string(rd()));
    fs::create_directories(root_);
    data_ = root_ / "data";
    socket_dir_ = root_ / "socket";
    log_ = root_ / "server.log";
    fs::create_directories(socket_dir_);
    if (::geteuid() == 0) {
        const passwd* pw = ::getpwnam("postgres");
        if (!pw) {
            throw std::runtime_error(
                "running as root, but there is no postgres user to run the test server as "
                "(postgresql-common creates it)");
        }
        for (const auto& p : {root_, socket_dir_}) {
            if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
                throw std::system_error(errno, std::generic_category(), "chown " + p.string());
            }
        }
    }
    auto init = run(as_owner({(bindir_ / "initdb").string(), "-D", data_.string(), "-U", "postgres",
                              "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"}),
                    {}, std::chrono::seconds(120));
    if (init.exit_code != 0) throw std::runtime_error("initdb failed: " + init.out + init.err);
    start_guard();
    // Every connection is trusted, but one role that must give its password: for the tests of
    // the password settings (first matching line wins).
    const auto hba = data_ / "pg_hba.conf";
    write_file(hba, "host all " + std::string(kPasswordRole) + " 127.0.0.1/32 scram-sha-256\n" +
                        read_file(hba));
    port_ = pick_free_port();
    start();
}

PostgresServer::~PostgresServer() {
    if (running_) {
        run(as_owner({(bindir_ / "pg_ctl").string(), "-D", data_.string(), "-m", "immediate", "-w",
                      "stop"}),
            {}, std::chrono::seconds(60));
    }
    std::error_code ec;
    fs::remove_all(root_, ec);
}

void PostgresServer::start() {
    // Listening on 127.0.0.1 only, with the socket in our own directory; a small
    // shared_buffers for a shared machine. Commits wait for the WAL as in production
    // (synchronous_commit), but without fsync unless durable: the tests stop the server
    // cleanly or kill pcd, never the machine, and a shutdown checkpoint then takes no seconds.
    std::string options = "-p " + std::to_string(port_) + " -k " + socket_dir_.string() +
                          " -c listen_addresses=127.0.0.1 -c max_connections=300"
                          " -c shared_buffers=32MB";
    if (!durable_) options += " -c fsync=off -c full_page_writes=off";
    for (int attempt = 0;; ++attempt) {
        auto started = run(as_owner({(bindir_ / "pg_ctl").string(), "-D", data_.string(), "-l",
                                     log_.string(), "-o", options, "-w", "-t", "60", "start"}),
                           {}, std::chrono::seconds(90));
        if (started.exit_code == 0) break;
        // A first start whose port was taken meanwhile moves to another port. A restart must
        // keep its port (the stores under test hold URIs naming it): it tries again until
        // whoever took the port lets it go.
        const int attempts = started_once_ ? 20 : 3;
        if (attempt + 1 >= attempts) {
            throw std::runtime_error("pg_ctl start failed: " + started.out + started.err +
                                     tail_of(log_));
        }
        if (started_once_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        } else {
            port_ = pick_free_port();
        }
    }
    running_ = true;
    started_once_ = true;
    wait_ready();
}

void PostgresServer::wait_ready() const {
    // pg_ctl -w has waited already; this also proves TCP on 127.0.0.1 answers.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        auto ready = run({(bindir_ / "pg_isready").string(), "-h", "127.0.0.1", "-p",
                          std::to_string(port_), "-t", "5"},
                         {}, std::chrono::seconds(10));
        if (ready.exit_code == 0) return;
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("the test PostgreSQL never became ready: " + tail_of(log_));
        }
    }
}

void PostgresServer::stop() {
    auto stopped = run(
        as_owner({(bindir_ / "pg_ctl").string(), "-D", data_.string(), "-m", "fast", "-w", "stop"}),
        {}, std::chrono::seconds(60));
    if (stopped.exit_code != 0) {
        throw std::runtime_error("pg_ctl stop failed: " + stopped.out + stopped.err);
    }
    running_ = false;
}

std::string PostgresServer::uri(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::query(const std::string& sql, const std::string& database) const {
    store::PgConnection conn(store::PgConnectInfo{uri(database), std::nullopt, "pctest"});
    auto result = conn.exec(sql);
    if (result.rows() == 0) return "";
    return std::string(result.value(0, 0));
}

std::string PostgresServer::create_database(const std::string& name) {
    query("CREATE DATABASE \"" + name + "\"");
    return uri(name);
}

void PostgresServer::set_read_only(bool on) {
    store::PgConnection conn(store::PgConnectInfo{uri(), std::nullopt, "pctest"});
    conn.exec("SET default_transaction_read_only = off");
    conn.exec(std::string("ALTER SYSTEM SET default_transaction_read_only = ") +
              (on ? "on" : "off"));
    conn.exec("SELECT pg_reload_conf()");
    // The reload is asynchronous: once a new session sees the setting, the postmaster has
    // re-read its configuration and signalled every backend, which applies it before its next
    // statement.
    const std::string want = on ? "on" : "off";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (query("SHOW default_transaction_read_only") != want) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("the test PostgreSQL did not apply read-only = " + want);
        }
    }
}

PostgresServer& PostgresEnvironment::server() {
    auto& server = shared_server();
    if (!server) server = std::make_unique<PostgresServer>();
    return *server;
}

void PostgresEnvironment::TearDown() {
    shared_server().reset();
}

}  // namespace pc::test
