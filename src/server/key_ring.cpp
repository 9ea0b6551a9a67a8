#include "pc/server/key_ring.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/sha256.hpp"

namespace pc::server {

namespace {

std::vector<keys::KeyEntry> load_entries(const std::filesystem::path& path, const char* what) {
    keys::KeyFile file = keys::load_key_file(path);
    for (const auto& w : file.warnings) spdlog::warn("{} {}: {}", what, path.string(), w);
    if (file.readable_by_others) {
        spdlog::warn("{} {} is readable by group or others; restrict it with: chmod 600 {}", what,
                     path.string(), path.string());
    }
    spdlog::info("loaded {} {} from {}", file.keys.size(), what, path.string());
    return std::move(file.keys);
}

std::vector<keys::KeyEntry> joined(const std::vector<keys::KeyEntry>& a,
                                   const std::vector<keys::KeyEntry>& b) {
    std::vector<keys::KeyEntry> all = a;
    all.insert(all.end(), b.begin(), b.end());
    return all;
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

void KeyRing::expect_database_keys() {
    std::lock_guard lock(parts_mutex_);
    database_ = true;
}

void KeyRing::load() {
    bool database = false;
    {
        std::lock_guard lock(parts_mutex_);
        database = database_;
    }
    std::error_code ec;
    std::vector<keys::KeyEntry> api;
    if (database && !std::filesystem::exists(apikeys_file_, ec)) {
        spdlog::info("no API keys file {}: machines use the keys in the database",
                     apikeys_file_.string());
    } else {
        api = load_entries(apikeys_file_, "API keys");
    }
    std::optional<std::vector<keys::KeyEntry>> admin;
    if (std::filesystem::exists(adminkeys_file_, ec)) {
        try {
            admin = load_entries(adminkeys_file_, "admin keys");
        } catch (const core::UserError& e) {
            spdlog::error("admin keys: {}; admin routes are disabled", e.what());
        }
    } else if (database) {
        spdlog::info("no admin keys file {}: admins use the admin keys in the database",
                     adminkeys_file_.string());
    } else {
        spdlog::info(
            "no admin keys file {}: admin routes (/v1/machines) answer 403 until one "
            "is created (then send SIGHUP)",
            adminkeys_file_.string());
    }
    std::lock_guard lock(parts_mutex_);
    file_api_ = std::move(api);
    file_admin_ = std::move(admin);
    rebuild();
}

void KeyRing::set_database_keys(std::vector<keys::KeyEntry> api,
                                std::vector<keys::KeyEntry> admin) {
    std::lock_guard lock(parts_mutex_);
    database_api_ = std::move(api);
    database_admin_ = std::move(admin);
    rebuild();
}

void KeyRing::rebuild() {
    // Built outside mutex_: requests reading the current sets never wait for the hashing.
    auto api = std::make_shared<const KeySet>(joined(file_api_, database_api_));
    std::shared_ptr<const KeySet> admin;
    if (file_admin_ || !database_admin_.empty()) {
        admin = std::make_shared<const KeySet>(
            joined(file_admin_.value_or(std::vector<keys::KeyEntry>{}), database_admin_));
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
