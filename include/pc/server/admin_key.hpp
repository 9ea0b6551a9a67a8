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

}  // namespace pc::server
