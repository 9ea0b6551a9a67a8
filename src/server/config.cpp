#include "pc/server/config.hpp"

#include <charconv>
#include <cstdlib>
#include <optional>

#include "pc/core/byte_size.hpp"
#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"

namespace pc::server {

void add_pcd_options(CLI::App& app, PcdOptions& o) {
    // Each option once: CLI11 shows the variable (Env:...) and the default (=...) itself.
    app.add_option("--listen", o.listen_address,
                   "Address to listen on, host:port (port 0 picks a free port); the original's "
                   "LISTENADDRESS is read when PCD_LISTENADDRESS is not set")
        ->envname("PCD_LISTENADDRESS")
        ->default_str("localhost:8080");
    app.add_option("--home", o.home, "State directory")->envname("PCD_HOME")->default_str("~/.pcd");
    app.add_option("--apikeys-file", o.apikeys_file, "Machine API keys, one per line")
        ->envname("PCD_APIKEYS_FILE")
        ->default_str("$PCD_HOME/apikeys");
    app.add_option("--adminkeys-file", o.adminkeys_file,
                   "Admin keys for /v1/machines, one per line; a missing file disables the admin "
                   "routes")
        ->envname("PCD_ADMINKEYS_FILE")
        ->default_str("$PCD_HOME/adminkeys");
    app.add_option("--datadir", o.datadir, "Where collections are stored")
        ->envname("PCD_DATADIR")
        ->default_str("$PCD_HOME/data");
    app.add_option("--loglevel", o.loglevel,
                   "Log level (trace, debug, info, warning, error) or loggo spec \"pcd=DEBUG\"")
        ->envname("PCD_LOGLEVEL")
        ->default_str("info");
    app.add_option("--tls-cert", o.tls_cert,
                   "PEM certificate (chain); with --tls-key serves HTTPS (default none: plain "
                   "HTTP)")
        ->envname("PCD_TLSCERT")
        ->default_str("none");
    app.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert")
        ->envname("PCD_TLSKEY")
        ->default_str("none");
    app.add_option("--max-body", o.max_body,
                   "Largest request body accepted, after decompression (bytes, or with KiB/MiB/"
                   "GiB)")
        ->envname("PCD_MAXBODY")
        ->default_str("16MiB");
    app.add_option("--rate-limit", o.rate_limit,
                   "Requests per second allowed per API key, bursts up to twice that; 0 disables")
        ->envname("PCD_RATELIMIT")
        ->default_str("100");
    app.add_option("--threads", o.threads,
                   "Worker threads = requests served at once (idle connections hold none over "
                   "HTTP; over HTTPS each open connection holds one)")
        ->envname("PCD_THREADS")
        ->default_str("256");
    app.add_option("--loadtest", o.loadtest,
                   "POST /v1/loadtest, the CPU capacity measurement on this host: on, or off "
                   "(the route answers 404)")
        ->envname("PCD_LOADTEST")
        ->default_str("on");
    app.add_option("--loadtest-seconds-per-level", o.loadtest_seconds_per_level,
                   "Seconds each of the load test's 10 levels runs, up to 12")
        ->envname("PCD_LOADTEST_SECONDS_PER_LEVEL")
        ->default_str("5");
    app.add_option("--retention", o.retention,
                   "Keep stored data this long (30d, 12h, 90m) by the records' timestamps; "
                   "older batches are removed while pcd runs; none keeps everything")
        ->envname("PCD_RETENTION")
        ->default_str("none");
    app.add_option("--retention-interval", o.retention_interval,
                   "How often retention looks for old data (first at start)")
        ->envname("PCD_RETENTION_INTERVAL")
        ->default_str("1h");
    app.add_option("--max-machines", o.max_machines,
                   "Machines stored at most; a batch for a new identifier beyond it is refused "
                   "(403), stored machines are always kept")
        ->envname("PCD_MAX_MACHINES")
        ->default_str("10000");
    app.add_option("--open-files", o.open_files,
                   "Store files kept open at most, two per machine (auto: half of the open-file "
                   "limit)")
        ->envname("PCD_OPEN_FILES")
        ->default_str("auto");
    app.add_option("--min-timestamp", o.min_timestamp,
                   "Oldest record timestamp accepted, Unix seconds (default 2000-01-01); none "
                   "accepts any")
        ->envname("PCD_MIN_TIMESTAMP")
        ->default_str("946684800");
    app.add_option("--max-ahead", o.max_ahead,
                   "How far ahead of pcd's clock a record's timestamp may be; none accepts any")
        ->envname("PCD_MAX_AHEAD")
        ->default_str("24h");
    app.add_option("--store", o.store,
                   "Where data is kept: file (collection files under PCD_DATADIR) or a "
                   "PostgreSQL URI postgresql://user@host:5432/db?sslmode=require shared by any "
                   "number of pcd replicas (password from PGPASSWORD, ~/.pgpass or "
                   "PCD_STORE_PASSWORD_FILE, never in the URI)")
        ->envname("PCD_STORE")
        ->default_str("file");
    app.add_option("--store-pool", o.store_pool,
                   "Database connections kept at most (PostgreSQL store); 0: twice --threads")
        ->envname("PCD_STORE_POOL")
        ->default_str("0");
    app.add_option("--store-password-file", o.store_password_file,
                   "File whose first line is the database password (PostgreSQL store)")
        ->envname("PCD_STORE_PASSWORD_FILE")
        ->default_str("none");
    app.add_option("--keys-refresh", o.keys_refresh,
                   "How often the keys stored in the database (pcctl apikey --store) are read "
                   "again, besides at start and on SIGHUP (PostgreSQL store; Go duration, 0 or "
                   "off: only then)")
        ->envname("PCD_KEYS_REFRESH")
        ->default_str("30s");
    app.add_option("--dashboard", o.dashboard,
                   "The admins' web dashboard at / (sign-in with an admin key): on, or off "
                   "(/ and /dashboard/... answer 404)")
        ->envname("PCD_DASHBOARD")
        ->default_str("on");
    app.add_option("--session-ttl", o.session_ttl,
                   "How long a dashboard sign-in lasts (Go duration: 12h, 30m; 1m to 30d)")
        ->envname("PCD_SESSION_TTL")
        ->default_str("12h");
}

std::chrono::seconds parse_retention(const std::string& text, std::string_view variable) {
    if (text.empty() || text == "0" || text == "none") return std::chrono::seconds(0);
    std::optional<std::chrono::seconds> value;
    if (text.size() > 1 && text.back() == 'd') {
        std::int64_t days = 0;
        auto digits = std::string_view(text).substr(0, text.size() - 1);
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), days);
        if (ec == std::errc() && ptr == digits.data() + digits.size() && days >= 0 &&
            days < 100000) {
            value = std::chrono::hours(24 * days);
        }
    } else if (auto d = core::parse_duration(text); d && d->count() >= 0) {
        value = std::chrono::duration_cast<std::chrono::seconds>(*d);
    }
    if (!value) {
        throw core::UsageError(std::string(variable) + ": cannot read \"" + text +
                               "\"; use days (30d), a Go duration (12h, 90m) or 0 for no limit");
    }
    return *value;
}

ListenAddress parse_listen_address(const std::string& text, const std::string& name) {
    auto fail = [&]() -> core::UsageError {
        const std::string form = name.substr(0, 2) == "--" ? name + " " : name + "=";
        return core::UsageError(name + ": invalid listen address \"" + text +
                                "\"; use host:port, e.g. " + form + "localhost:8080 or " + form +
                                "127.0.0.1:0");
    };
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw fail();
    std::string host = text.substr(0, colon);
    std::string port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        throw fail();  // IPv6 needs brackets
    }
    if (host.empty()) host = "0.0.0.0";
    int port = -1;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 ||
        port > 65535) {
        throw fail();
    }
    return {host, port};
}

std::uint64_t parse_max_body(const std::string& text, const std::string& name) {
    std::uint64_t value = core::parse_byte_size_or_throw(text, name);
    if (value == 0 || value > (std::uint64_t{1} << 40)) {
        throw core::UsageError(name + ": " + text +
                               " is out of range; use 1 byte to 1TiB, e.g. 16MiB");
    }
    return value;
}

PcdConfig resolve_config(const PcdOptions& o, const NameOf& name_of) {
    // Messages name what the user wrote: the flag, or else the variable.
    auto who = [&](const std::string& flag, const std::string& variable) {
        return name_of ? name_of(flag) : variable;
    };
    PcdConfig c;
    std::string listen = o.listen_address;
    std::string listen_name = who("--listen", "PCD_LISTENADDRESS");
    if (listen.empty()) {
        const char* env = std::getenv("LISTENADDRESS");
        listen = env && *env ? env : "localhost:8080";
        listen_name = "LISTENADDRESS";
    }
    c.listen = parse_listen_address(listen, listen_name);
    if (!o.home.empty()) {
        c.home = o.home;
    } else {
        const char* h = std::getenv("HOME");
        if (!h || !*h)
            throw core::UsageError(
                "PCD_HOME is not set and neither is HOME; use --home DIR or PCD_HOME=DIR");
        c.home = std::filesystem::path(h) / ".pcd";
    }
    c.apikeys_file =
        o.apikeys_file.empty() ? c.home / "apikeys" : std::filesystem::path(o.apikeys_file);
    c.adminkeys_file =
        o.adminkeys_file.empty() ? c.home / "adminkeys" : std::filesystem::path(o.adminkeys_file);
    c.datadir = o.datadir.empty() ? c.home / "data" : std::filesystem::path(o.datadir);
    c.loglevel = o.loglevel;
    if (o.tls_cert.empty() != o.tls_key.empty()) {
        throw core::UsageError(
            (o.tls_cert.empty() ? who("--tls-key", "PCD_TLSKEY")
                                : who("--tls-cert", "PCD_TLSCERT")) +
            " given alone; HTTPS needs both --tls-cert and --tls-key (PCD_TLSCERT and PCD_TLSKEY)");
    }
    c.tls_cert = o.tls_cert;
    c.tls_key = o.tls_key;
    c.max_body = parse_max_body(o.max_body, who("--max-body", "PCD_MAXBODY"));
    if (!(o.rate_limit >= 0)) {
        const auto name = who("--rate-limit", "PCD_RATELIMIT");
        throw core::UsageError(name + ": must be a number of requests per second >= 0, e.g. " +
                               (name[0] == '-' ? name + " 100" : name + "=100"));
    }
    c.rate_limit = o.rate_limit;
    if (o.threads < 2 || o.threads > 10000) {
        const auto name = who("--threads", "PCD_THREADS");
        throw core::UsageError(name + ": " + std::to_string(o.threads) +
                               " is out of range; use 2 to 10000, e.g. " +
                               (name[0] == '-' ? name + " 256" : name + "=256"));
    }
    c.threads = o.threads;
    const std::string loadtest = core::to_lower(o.loadtest);
    if (loadtest == "on" || loadtest == "true" || loadtest == "1") {
        c.loadtest = true;
    } else if (loadtest == "off" || loadtest == "false" || loadtest == "0") {
        c.loadtest = false;
    } else {
        throw core::UsageError("PCD_LOADTEST: \"" + o.loadtest + "\" is neither on nor off");
    }
    // Ten levels stay within the original's 2-minute limit.
    if (!(o.loadtest_seconds_per_level >= 0.01 && o.loadtest_seconds_per_level <= 12)) {
        throw core::UsageError("PCD_LOADTEST_SECONDS_PER_LEVEL: must be between 0.01 and 12");
    }
    c.loadtest_seconds_per_level = o.loadtest_seconds_per_level;
    c.retention = parse_retention(o.retention, "PCD_RETENTION");
    c.retention_interval = parse_retention(o.retention_interval, "PCD_RETENTION_INTERVAL");
    if (c.retention_interval.count() <= 0) {
        throw core::UsageError("PCD_RETENTION_INTERVAL: must be at least 1s (e.g. 1h)");
    }
    if (o.max_machines < 1 || o.max_machines > 10000000) {
        throw core::UsageError(who("--max-machines", "PCD_MAX_MACHINES") + ": " +
                               std::to_string(o.max_machines) +
                               " is out of range; use 1 to 10000000 (default 10000)");
    }
    c.max_machines = o.max_machines;
    if (const std::string open_files = core::to_lower(o.open_files);
        !open_files.empty() && open_files != "auto") {
        std::size_t n = 0;
        auto [ptr, ec] =
            std::from_chars(open_files.data(), open_files.data() + open_files.size(), n);
        if (ec != std::errc() || ptr != open_files.data() + open_files.size() || n < 4) {
            throw core::UsageError(who("--open-files", "PCD_OPEN_FILES") + ": \"" + o.open_files +
                                   "\" is not a number of files >= 4 or auto");
        }
        c.open_files = n;
    }
    const std::string dashboard = core::to_lower(o.dashboard);
    if (dashboard == "on" || dashboard == "true" || dashboard == "1") {
        c.dashboard = true;
    } else if (dashboard == "off" || dashboard == "false" || dashboard == "0") {
        c.dashboard = false;
    } else {
        throw core::UsageError(who("--dashboard", "PCD_DASHBOARD") + ": \"" + o.dashboard +
                               "\" is neither on nor off");
    }
    {
        const auto name = who("--session-ttl", "PCD_SESSION_TTL");
        auto ttl = core::parse_duration(o.session_ttl);
        if (!ttl || *ttl < std::chrono::minutes(1) || *ttl > std::chrono::hours(24 * 30)) {
            throw core::UsageError(name + ": \"" + o.session_ttl +
                                   "\" is not a duration from 1m to 720h (30 days), e.g. 12h");
        }
        c.session_ttl = std::chrono::duration_cast<std::chrono::seconds>(*ttl);
    }
    c.timestamps = parse_timestamp_window(o.min_timestamp, o.max_ahead,
                                          who("--min-timestamp", "PCD_MIN_TIMESTAMP"),
                                          who("--max-ahead", "PCD_MAX_AHEAD"));
    if (const std::string store = core::to_lower(o.store); !store.empty() && store != "file") {
        std::optional<std::filesystem::path> password_file;
        if (!o.store_password_file.empty()) password_file = o.store_password_file;
        c.database = store::make_connect_info(o.store, who("--store", "PCD_STORE"), password_file);
    } else if (!o.store_password_file.empty()) {
        throw core::UsageError(who("--store-password-file", "PCD_STORE_PASSWORD_FILE") +
                               " is given but the store is file; set PCD_STORE to a "
                               "postgresql:// URI or drop the password file");
    }
    if (o.store_pool > 100000) {
        throw core::UsageError(who("--store-pool", "PCD_STORE_POOL") + ": " +
                               std::to_string(o.store_pool) +
                               " is out of range; use 1 to 100000, or 0 for twice --threads");
    }
    c.store_pool = o.store_pool == 0 ? 2 * c.threads : o.store_pool;
    if (const std::string refresh = core::to_lower(o.keys_refresh);
        refresh == "off" || refresh == "0") {
        c.keys_refresh = std::chrono::milliseconds(0);
    } else {
        auto every = core::parse_duration(o.keys_refresh);
        if (!every || *every < std::chrono::milliseconds(10) || *every > std::chrono::hours(24)) {
            throw core::UsageError(who("--keys-refresh", "PCD_KEYS_REFRESH") + ": \"" +
                                   o.keys_refresh +
                                   "\" is not a duration from 10ms to 24h (e.g. 30s), nor off");
        }
        c.keys_refresh = std::chrono::duration_cast<std::chrono::milliseconds>(*every);
    }
    return c;
}

}  // namespace pc::server
