// pcd's configuration: environment variables, each also a command-line flag (the flag wins).
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "pc/server/timestamp_window.hpp"
#include "pc/store/pg_connect_info.hpp"

namespace pc::server {

// As given by the user (flags and environment), before defaults that depend on other values.
struct PcdOptions {
    std::string listen_address;  // PCD_LISTENADDRESS, else LISTENADDRESS, else localhost:8080
    std::string home;            // PCD_HOME, default ~/.pcd
    std::string apikeys_file;    // PCD_APIKEYS_FILE, default $PCD_HOME/apikeys
    std::string adminkeys_file;  // PCD_ADMINKEYS_FILE, default $PCD_HOME/adminkeys
    std::string datadir;         // PCD_DATADIR, default $PCD_HOME/data
    std::string loglevel = "info";
    std::string tls_cert;
    std::string tls_key;
    std::string max_body = "16MiB";
    double rate_limit = 100;  // requests per second per key; 0 disables
    std::size_t threads = 256;
    std::string loadtest = "on";              // PCD_LOADTEST: on, or off (the route answers 404)
    double loadtest_seconds_per_level = 5;    // PCD_LOADTEST_SECONDS_PER_LEVEL
    std::string retention;                    // PCD_RETENTION, default: keep everything
    std::string retention_interval = "1h";    // PCD_RETENTION_INTERVAL
    std::size_t max_machines = 10000;         // PCD_MAX_MACHINES
    std::string open_files = "auto";          // PCD_OPEN_FILES
    std::string min_timestamp = "946684800";  // PCD_MIN_TIMESTAMP (2000-01-01), or none
    std::string max_ahead = "24h";            // PCD_MAX_AHEAD, or none
    std::string store = "file";               // PCD_STORE: file, or a postgresql:// URI
    std::size_t store_pool = 0;               // PCD_STORE_POOL, 0: twice the threads
    std::string store_password_file;          // PCD_STORE_PASSWORD_FILE
    std::string keys_refresh = "30s";         // PCD_KEYS_REFRESH: a duration, or 0/off
    std::string dashboard = "on";             // PCD_DASHBOARD: on, or off (GET / answers 404)
    std::string session_ttl = "12h";          // PCD_SESSION_TTL
};

// Registers every option on `app` with its environment variable and default in --help.
void add_pcd_options(CLI::App& app, PcdOptions& options);

struct ListenAddress {
    std::string host;  // "127.0.0.1", "localhost", "::1", "0.0.0.0"
    int port = 0;      // 0: the kernel picks one (logged once bound)
};

// "host:port", "[v6]:port" or ":port" (all IPv4 interfaces). Throws UsageError naming `name`.
ListenAddress parse_listen_address(const std::string& text,
                                   const std::string& name = "PCD_LISTENADDRESS");

// "30d", "12h", "90m" or any Go duration: how long stored data is kept; "" or "0": forever
// (zero). Throws UserError naming `variable` when malformed or negative.
std::chrono::seconds parse_retention(const std::string& text, std::string_view variable);

// "16777216", "16MiB", "512KiB", "1G": bytes. Throws UsageError naming `name`.
std::uint64_t parse_max_body(const std::string& text, const std::string& name = "PCD_MAXBODY");

struct PcdConfig {
    ListenAddress listen;
    std::filesystem::path home;
    std::filesystem::path apikeys_file;
    std::filesystem::path adminkeys_file;
    std::filesystem::path datadir;
    std::string loglevel;
    std::filesystem::path tls_cert;  // empty: plain HTTP
    std::filesystem::path tls_key;
    std::uint64_t max_body = 16u << 20;
    double rate_limit = 100;
    std::size_t threads = 256;
    bool loadtest = true;
    double loadtest_seconds_per_level = 5;
    std::chrono::seconds retention{0};  // 0: keep everything
    std::chrono::seconds retention_interval{3600};
    std::size_t max_machines = 10000;
    std::size_t open_files = 0;  // 0: auto (half of RLIMIT_NOFILE, see daemon.cpp)
    TimestampWindow timestamps;
    // Empty: the file store under datadir. Else the PostgreSQL store's connection (the URI
    // checked, the password read from PCD_STORE_PASSWORD_FILE when given).
    std::optional<store::PgConnectInfo> database;
    std::size_t store_pool = 512;
    // How often the database's keys are read again (PostgreSQL store); 0: at start and on
    // SIGHUP only.
    std::chrono::milliseconds keys_refresh{30000};
    bool dashboard = true;
    std::chrono::seconds session_ttl{12 * 3600};
    bool tls() const { return !tls_cert.empty(); }
};

// For a flag ("--threads"), what the user wrote to set it: the flag or its variable
// (core::given_name). Empty: messages name the variables.
using NameOf = std::function<std::string(const std::string& flag)>;

// Applies defaults and checks values; throws UsageError with a one-line message.
PcdConfig resolve_config(const PcdOptions& options, const NameOf& name_of = {});

}  // namespace pc::server
