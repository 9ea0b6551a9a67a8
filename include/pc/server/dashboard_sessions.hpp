// The dashboard's sign-in sessions: a table in pcd's memory (per process: every replica has
// its own, and a restart signs everyone out). A session is a random 256-bit token the browser
// holds in a cookie; the table keeps only the token's SHA-256, so neither a memory dump of the
// table nor a timing difference in the lookup gives a usable token away.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pc::server {

class SessionTable {
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    // Sessions last `ttl` from sign-in (not renewed by use). At most `max_sessions` live at once:
    // a sign-in beyond that ends the session closest to its expiry.
    explicit SessionTable(
        std::chrono::seconds ttl, std::size_t max_sessions = 10000,
        Now now = [] { return Clock::now(); });

    struct Session {
        // The admin key that signed in, by its SHA-256 (lower-case hex), never the key: a
        // session lasts only while that key is accepted (ended by end_if_key_refused or at a
        // request). Its first 12 digits are the key's fingerprint, for logs.
        std::string key_digest;
        Clock::time_point expires;
    };

    // Starts a session for the admin key with this digest; returns its token: 32 bytes
    // from getrandom(2) in lower-case hex (64 characters). Throws std::runtime_error when the
    // kernel gives no random bytes.
    std::string create(const std::string& key_digest);
    // The live session of `token`; nullopt when unknown or expired (an expired one is removed).
    std::optional<Session> find(std::string_view token);
    // Ends the session (sign-out); false when there was none.
    bool end(std::string_view token);
    // Ends every session whose admin key `accepted` (given the key's digest) refuses; returns
    // how many ended. Called after the admin keys are reloaded.
    std::size_t end_if_key_refused(const std::function<bool(std::string_view)>& accepted);
    // Live sessions (expired ones are dropped first).
    std::size_t size();
    std::chrono::seconds ttl() const { return ttl_; }

    static constexpr std::size_t kTokenBytes = 32;

private:
    void drop_expired(Clock::time_point now);  // with mutex_ held

    std::chrono::seconds ttl_;
    std::size_t max_sessions_;
    Now now_;
    std::mutex mutex_;
    std::unordered_map<std::string, Session> by_digest_;  // SHA-256 of the token, hex
};

}  // namespace pc::server
