#include "pc/server/admin_key.hpp"

#include "pc/server/key_ring.hpp"

namespace pc::server {

AdminKeyVerdict check_admin_key(const KeyRing& keys, std::string_view key) {
    auto admin = keys.admin_keys();
    if (!admin) return AdminKeyVerdict::no_admin_keys;
    if (admin->contains(key)) return AdminKeyVerdict::admin;
    if (keys.api_keys()->contains(key)) return AdminKeyVerdict::machine_key;
    return AdminKeyVerdict::unknown;
}

bool admin_key_accepted(const KeyRing& keys, std::string_view key_digest) {
    auto admin = keys.admin_keys();
    return admin && admin->contains_digest(key_digest);
}

}  // namespace pc::server
