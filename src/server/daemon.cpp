#include "pc/server/daemon.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "pc/core/error.hpp"
#include "pc/core/logging.hpp"
#include "pc/core/version.hpp"
#include "pc/server/admin_key.hpp"
#include "pc/server/dashboard.hpp"
#include "pc/server/database_keys.hpp"
#include "pc/server/key_ring.hpp"
#include "pc/server/listen_socket.hpp"
#include "pc/server/load_test.hpp"
#include "pc/server/metrics.hpp"
#include "pc/server/parking_server.hpp"
#include "pc/server/rate_limiter.hpp"
#include "pc/server/retention.hpp"
#include "pc/server/routes.hpp"
#include "pc/store/file_store.hpp"
#include "pc/store/pg_key_table.hpp"
#include "pc/store/pg_pool.hpp"
#include "pc/store/pg_store.hpp"

namespace pc::server {

namespace {

// Two files per machine plus one per connection: lift the soft limit to the hard one.
// Raises the soft open-file limit to the hard one and returns it (0 when unknown).
std::uint64_t raise_open_file_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
    if (lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    return lim.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20 : lim.rlim_cur;
}

// PCD_OPEN_FILES=auto: half of the open-file limit for the store, the rest for connections,
// the commit log and the rest of the process; at least 16, at most 65536.
std::size_t store_open_files(std::size_t configured, std::uint64_t limit) {
    if (configured > 0) return configured;
    if (limit == 0) return 512;
    return static_cast<std::size_t>(std::clamp<std::uint64_t>(limit / 2, 16, 65536));
}

std::string format_address(const std::string& host, int port) {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

}  // namespace

int run_daemon(const PcdOptions& options, const NameOf& name_of) {
    PcdConfig config = resolve_config(options, name_of);
    core::setup_logging("pcd", core::parse_log_level(
                                   config.loglevel, "pcd",
                                   name_of ? name_of("--loglevel") : std::string("PCD_LOGLEVEL")));
    spdlog::info("{} starting", core::version_line("pcd"));
    spdlog::info(
        "config: home={} apikeys={} adminkeys={} datadir={} maxbody={} ratelimit={}/s "
        "threads={} tls={} loadtest={} retention={} dashboard={}",
        config.home.string(), config.apikeys_file.string(), config.adminkeys_file.string(),
        config.database ? std::string("(database store)") : config.datadir.string(),
        config.max_body, config.rate_limit, config.threads, config.tls() ? "on" : "off",
        config.loadtest ? fmt::format("on ({}s per level)", config.loadtest_seconds_per_level)
                        : std::string("off"),
        config.retention.count() == 0
            ? std::string("none")
            : std::to_string(config.retention.count()) + "s, checked every " +
                  std::to_string(config.retention_interval.count()) + "s",
        config.dashboard ? fmt::format("on (sessions {}s, per process)", config.session_ttl.count())
                         : std::string("off"));

    // Signals are taken by a dedicated thread (sigwait); every other thread has them blocked.
    sigset_t signals = handled_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    // Past RLIMIT_FSIZE a write must fail with EFBIG (answered 503), not kill the daemon.
    ::signal(SIGXFSZ, SIG_IGN);
    const std::uint64_t file_limit = raise_open_file_limit();

    KeyRing keys(config.apikeys_file, config.adminkeys_file);
    if (config.database) keys.expect_database_keys();
    keys.load();
    std::unique_ptr<store::Store> chosen_store;
    if (config.database) {
        store::PgStoreOptions pg_options;
        pg_options.connect = *config.database;
        pg_options.pool_size = config.store_pool;
        pg_options.max_machines = config.max_machines;
        chosen_store = std::make_unique<store::PgStore>(std::move(pg_options));
        spdlog::info(
            "store: {}: {} machine(s), at most {} (PCD_MAX_MACHINES); at most {} database "
            "connections (PCD_STORE_POOL)",
            chosen_store->describe(), chosen_store->machine_count(), config.max_machines,
            config.store_pool);
    } else {
        store::StoreOptions store_options{config.datadir, 1024};
        store_options.max_open_files = store_open_files(config.open_files, file_limit);
        store_options.max_machines = config.max_machines;
        chosen_store = std::make_unique<store::FileStore>(store_options);
        spdlog::info(
            "store: {}: {} machine(s), at most {} (PCD_MAX_MACHINES); store files open at "
            "most {} (PCD_OPEN_FILES; open-file limit {})",
            chosen_store->describe(), chosen_store->machine_count(), config.max_machines,
            store_options.max_open_files, file_limit);
    }
    store::Store& store = *chosen_store;
    // With a database, its keys too: read once before serving, then in the background.
    std::unique_ptr<store::PgPool> key_pool;
    std::unique_ptr<DatabaseKeyRefresh> database_keys;
    if (config.database) {
        key_pool = std::make_unique<store::PgPool>(*config.database, 1);
        database_keys = std::make_unique<DatabaseKeyRefresh>(
            keys,
            [pool = key_pool.get()] {
                auto conn = pool->acquire();
                return store::list_database_keys(*conn);
            },
            config.keys_refresh);
        database_keys->refresh();
        database_keys->start();
        spdlog::info(
            "keys: the key files and the database's keys, read again {} and on SIGHUP",
            config.keys_refresh.count() == 0
                ? std::string("never on a timer (PCD_KEYS_REFRESH=off)")
                : fmt::format("every {}ms (PCD_KEYS_REFRESH)", config.keys_refresh.count()));
    }
    RateLimiter limiter(config.rate_limit);
    Metrics metrics;
    std::unique_ptr<LoadTest> load_test;
    if (config.loadtest) {
        load_test = std::make_unique<LoadTest>(std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::duration<double>(config.loadtest_seconds_per_level)));
    }
    ServerContext context{store,           keys,           limiter,         metrics,
                          config.max_body, config.threads, load_test.get(), config.timestamps};
    std::unique_ptr<Dashboard> dashboard;
    if (config.dashboard) {
        DashboardOptions dashboard_options;
        dashboard_options.session_ttl = config.session_ttl;
        dashboard_options.secure_cookie = config.tls();
        dashboard = std::make_unique<Dashboard>(store, dashboard_options);
        context.dashboard = dashboard.get();
    }
    RetentionTask retention(store, config.retention, config.retention_interval);

    std::unique_ptr<httplib::Server> server;
    if (config.tls()) {
        auto tls =
            std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
        if (!tls->is_valid()) {
            throw core::UserError(
                "cannot load TLS certificate " + config.tls_cert.string() + " or key " +
                config.tls_key.string() +
                " (PCD_TLSCERT/PCD_TLSKEY must be readable PEM files that match)");
        }
        // httplib serves each TLS connection on one worker for as long as it stays open.
        const std::size_t threads = config.threads;
        tls->new_task_queue = [threads]() -> httplib::TaskQueue* {
            return std::make_unique<httplib::ThreadPool>(threads).release();
        };
        server = std::move(tls);
    } else {
        ParkingLimits limits;
        limits.framing.body_cap = config.max_body;  // whole bodies arrive before a worker sees them
        server = std::make_unique<ParkingServer>(config.threads, limits);
    }
    install_routes(*server, context);
    // httplib listens with a backlog of 5: a burst of connecting clients would overflow it.
    // Remember the listening socket to raise the backlog once it is bound.
    int listen_fd = -1;
    server->set_socket_options([&listen_fd](int sock) {
        set_exclusive_listen_options(sock);
        listen_fd = sock;
    });

    int port = config.listen.port;
    if (port == 0) {
        port = server->bind_to_any_port(config.listen.host);
        if (port < 0) port = 0;
    } else if (!server->bind_to_port(config.listen.host, port)) {
        port = 0;
    }
    if (port == 0) {
        throw core::UserError("cannot listen on " +
                              format_address(config.listen.host, config.listen.port) +
                              ": address in use or not available (set PCD_LISTENADDRESS)");
    }
    if (listen_fd >= 0) ::listen(listen_fd, 1024);
    spdlog::info("listening on {} ({})", format_address(config.listen.host, port),
                 config.tls() ? "https" : "http");

    std::atomic<bool> stopping{false};
    std::thread signal_thread([&] {
        while (true) {
            int sig = 0;
            if (sigwait(&signals, &sig) != 0) continue;
            if (stopping) return;
            if (sig == SIGHUP) {
                spdlog::info(database_keys ? "SIGHUP: reloading key files and the database's keys"
                                           : "SIGHUP: reloading key files");
                try {
                    keys.load();
                } catch (const std::exception& e) {
                    spdlog::error("key reload failed, keeping the previous keys: {}", e.what());
                }
                if (database_keys) database_keys->wake();
                if (dashboard) {
                    // Sessions of admin keys no longer in the file end now (requests check too).
                    const auto ended = dashboard->sessions.end_if_key_refused(
                        [&](std::string_view digest) { return admin_key_accepted(keys, digest); });
                    if (ended > 0) {
                        spdlog::info("dashboard: ended {} session(s) of removed admin keys", ended);
                    }
                }
                continue;
            }
            spdlog::info("{}: no new connections; finishing requests in flight",
                         sig == SIGTERM ? "SIGTERM" : "SIGINT");
            stopping = true;
            if (load_test) load_test->shut_down();
            server->stop();
            return;
        }
    });

    server->listen_after_bind();
    const bool requested = stopping.exchange(true);
    if (!requested) {
        // The server ended on its own: wake the signal thread so it can finish.
        pthread_kill(signal_thread.native_handle(), SIGTERM);
    }
    signal_thread.join();
    if (!requested) {
        spdlog::error("server stopped unexpectedly");
        return 1;
    }
    spdlog::info("stopped");
    return 0;
}

}  // namespace pc::server
