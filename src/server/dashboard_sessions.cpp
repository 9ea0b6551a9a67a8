#include "pc/server/dashboard_sessions.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "pc/keys/key_file.hpp"
#include "pc/keys/sha256.hpp"

namespace pc::server {

namespace {

std::string digest_of(std::string_view token) {
    return keys::to_hex(keys::sha256(token));
}

}  // namespace

SessionTable::SessionTable(std::chrono::seconds ttl, std::size_t max_sessions, Now now)
    : ttl_(ttl), max_sessions_(std::max<std::size_t>(max_sessions, 1)), now_(std::move(now)) {}

std::string SessionTable::create(const std::string& key_digest) {
    std::array<std::uint8_t, kTokenBytes> bytes{};
    keys::fill_random(bytes.data(), bytes.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token;
    token.reserve(2 * bytes.size());
    for (auto b : bytes) {
        token += kHex[b >> 4];
        token += kHex[b & 0xf];
    }
    const auto now = now_();
    std::lock_guard lock(mutex_);
    drop_expired(now);
    if (by_digest_.size() >= max_sessions_) {
        auto soonest = std::min_element(
            by_digest_.begin(), by_digest_.end(),
            [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
        by_digest_.erase(soonest);
    }
    by_digest_[digest_of(token)] = Session{key_digest, now + ttl_};
    return token;
}

std::optional<SessionTable::Session> SessionTable::find(std::string_view token) {
    if (token.size() != 2 * kTokenBytes) return std::nullopt;
    const auto digest = digest_of(token);
    const auto now = now_();
    std::lock_guard lock(mutex_);
    auto it = by_digest_.find(digest);
    if (it == by_digest_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        by_digest_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

bool SessionTable::end(std::string_view token) {
    const auto digest = digest_of(token);
    std::lock_guard lock(mutex_);
    return by_digest_.erase(digest) > 0;
}

std::size_t SessionTable::end_if_key_refused(
    const std::function<bool(std::string_view)>& accepted) {
    std::lock_guard lock(mutex_);
    return std::erase_if(by_digest_,
                         [&](const auto& entry) { return !accepted(entry.second.key_digest); });
}

std::size_t SessionTable::size() {
    const auto now = now_();
    std::lock_guard lock(mutex_);
    drop_expired(now);
    return by_digest_.size();
}

void SessionTable::drop_expired(Clock::time_point now) {
    std::erase_if(by_digest_, [&](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace pc::server
