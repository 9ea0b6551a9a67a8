#include "pc/server/key_ring.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/sha256.hpp"

namespace pc::server {

namespace {

std::shared_ptr<const KeySet> load_set(const std::filesystem::path& path, const char* what) {
    keys::KeyFile file = keys::load_key_file(path);
    for (const auto& w : file.warnings) spdlog::warn("{} {}: {}", what, path.string(), w);
    if (file.readable_by_others) {
        spdlog::warn("{} {} is readable by group or others; restrict it with: chmod 600 {}", what,
                     path.string(), path.string());
    }
    auto set = std::make_shared<const KeySet>(file.keys);
    spdlog::info("loaded {} {} from {}", set->size(), what, path.string());
    return set;
}

}  // namespace

KeySet::KeySet(const std::vector<keys::KeyEntry>& keys) {
    for (const auto& k : keys) {
        std::string digest = k.digest_hex();
        auto& bucket = by_fingerprint_[digest.substr(0, 12)];
        Stored* known = nullptr;
        for (auto& existing : bucket) {
            if (existing.digest == digest) known = &existing;
        }
        if (!known) {
            bucket.push_back({std::move(digest), k.identifiers});
            ++size_;
        } else if (!known->identifiers.empty()) {
            // The same key on two lines: it may write what either line allows.
            if (k.identifiers.empty()) {
                known->identifiers.clear();
            } else {
                known->identifiers.insert(known->identifiers.end(), k.identifiers.begin(),
                                          k.identifiers.end());
            }
        }
    }
}

const KeySet::Stored* KeySet::find(std::string_view key) const {
    if (key.empty()) return nullptr;
    return find_digest(keys::to_hex(keys::sha256(key)));
}

const KeySet::Stored* KeySet::find_digest(std::string_view digest) const {
    if (digest.size() < 12) return nullptr;
    auto it = by_fingerprint_.find(std::string(digest.substr(0, 12)));
    if (it == by_fingerprint_.end()) return nullptr;
    const Stored* found = nullptr;
    for (const auto& candidate : it->second) {
        if (keys::constant_time_equal(candidate.digest, digest)) found = &candidate;
    }
    return found;
}

bool KeySet::contains(std::string_view key) const {
    return find(key) != nullptr;
}

bool KeySet::contains_digest(std::string_view digest) const {
    return find_digest(digest) != nullptr;
}

KeySet::Access KeySet::check(std::string_view key, std::string_view identifier) const {
    const Stored* stored = find(key);
    if (!stored) return Access::unknown_key;
    if (stored->identifiers.empty()) return Access::allowed;
    for (const auto& pattern : stored->identifiers) {
        if (keys::identifier_matches(pattern, identifier)) return Access::allowed;
    }
    return Access::other_identifier;
}

std::optional<std::string> presented_key(std::string_view apikey, std::string_view authorization,
                                         std::string_view x_api_key) {
    apikey = core::trim_blanks(apikey);
    if (!apikey.empty()) return std::string(apikey);
    authorization = core::trim_blanks(authorization);
    auto space = authorization.find(' ');
    if (space != std::string_view::npos &&
        core::iequals(authorization.substr(0, space), "Bearer")) {
        auto key = core::trim_blanks(authorization.substr(space + 1));
        if (!key.empty()) return std::string(key);
    }
    x_api_key = core::trim_blanks(x_api_key);
    if (!x_api_key.empty()) return std::string(x_api_key);
    return std::nullopt;
}

KeyRing::KeyRing(std::filesystem::path apikeys_file, std::filesystem::path adminkeys_file)
    : apikeys_file_(std::move(apikeys_file)), adminkeys_file_(std::move(adminkeys_file)) {}

void KeyRing::load() {
    auto api = load_set(apikeys_file_, "API keys");
    std::shared_ptr<const KeySet> admin;
    std::error_code ec;
    if (std::filesystem::exists(adminkeys_file_, ec)) {
        try {
            admin = load_set(adminkeys_file_, "admin keys");
        } catch (const core::UserError& e) {
            spdlog::error("admin keys: {}; admin routes are disabled", e.what());
        }
    } else {
        spdlog::info(
            "no admin keys file {}: admin routes (/v1/machines) answer 403 until one "
            "is created (then send SIGHUP)",
            adminkeys_file_.string());
    }
    std::lock_guard lock(mutex_);
    api_ = std::move(api);
    admin_ = std::move(admin);
}

std::shared_ptr<const KeySet> KeyRing::api_keys() const {
    std::lock_guard lock(mutex_);
    return api_ ? api_ : std::make_shared<const KeySet>();
}

std::shared_ptr<const KeySet> KeyRing::admin_keys() const {
    std::lock_guard lock(mutex_);
    return admin_;
}

}  // namespace pc::server
