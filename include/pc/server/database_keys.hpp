// With a PostgreSQL store, the keys added by `pcctl apikey ... --store URI` reach every replica
// through this: a background thread reads the database's key table at start, every
// PCD_KEYS_REFRESH and when woken (SIGHUP), and hands the keys to the KeyRing. Requests never
// wait on the database: they read the ring's last sets, which stay as they were while the
// database is away (one log line when that starts and one when it ends, never a key).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "pc/server/key_ring.hpp"
#include "pc/store/pg_key_table.hpp"

namespace pc::server {

// Reads every key of the database; throws (store::PgError) when it cannot.
using DatabaseKeyReader = std::function<std::vector<store::DatabaseKey>()>;

// The database's keys as the ring's entries: api and admin, each hashed.
struct DatabaseKeyEntries {
    std::vector<keys::KeyEntry> api;
    std::vector<keys::KeyEntry> admin;
};
DatabaseKeyEntries key_entries(const std::vector<store::DatabaseKey>& keys);

class DatabaseKeyRefresh {
public:
    // `interval` 0: refreshed at start and on wake() only.
    DatabaseKeyRefresh(KeyRing& ring, DatabaseKeyReader reader, std::chrono::milliseconds interval);
    ~DatabaseKeyRefresh();
    DatabaseKeyRefresh(const DatabaseKeyRefresh&) = delete;
    DatabaseKeyRefresh& operator=(const DatabaseKeyRefresh&) = delete;

    // Reads the keys now, in the caller's thread (at start, before serving); false when the
    // database could not be read (logged; the ring keeps what it had).
    bool refresh();
    // Starts the background thread (refreshes every interval and when woken).
    void start();
    // Asks the thread for a refresh now (SIGHUP); returns at once.
    void wake();
    // Completed refreshes so far (tests).
    std::uint64_t refreshes() const;

private:
    void loop();

    KeyRing& ring_;
    DatabaseKeyReader reader_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    bool stopping_ = false;
    bool failing_ = false;  // in a failure episode: logged once at its start
    std::uint64_t failures_ = 0;
    std::uint64_t refreshes_ = 0;
    std::optional<std::vector<store::DatabaseKey>> last_;  // what the ring has, to log changes
    std::thread thread_;
};

}  // namespace pc::server
