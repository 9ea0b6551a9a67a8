// What a presented key is to the admin side of pcd: the one check shared by the admin routes
// (/v1/machines...) and the dashboard's sign-in, so both refuse the same keys the same way.
#pragma once

#include <string_view>

namespace pc::server {

class KeyRing;

enum class AdminKeyVerdict {
    admin,          // in the admin keys file
    machine_key,    // a machine (trickle) key: never an admin
    unknown,        // in neither file
    no_admin_keys,  // the server has no admin keys file: admin access is off
};

AdminKeyVerdict check_admin_key(const KeyRing& keys, std::string_view key);

// Whether the admin key with this SHA-256 (lower-case hex) is still an admin key now: asked by
// a dashboard session at each request, so that removing a key (a reload of the admin keys)
// ends the sessions it opened. A source of admin keys other than the file must answer here as
// check_admin_key does.
bool admin_key_accepted(const KeyRing& keys, std::string_view key_digest);

}  // namespace pc::server
