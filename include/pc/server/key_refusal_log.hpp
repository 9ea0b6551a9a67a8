// Key refusals are logged through one throttle for the whole process (pcd serves one
// listener): the API routes and the dashboard's sign-in share it, so a client guessing keys at
// line rate fills no disk whichever door it knocks on.
#pragma once

#include <string>

namespace pc::server {

// Logs `line` (a warning; it must name the key only by fingerprint) when the throttle admits
// it: the first refusal of a minute, with how many went unlogged before it.
void log_key_refusal(const std::string& line);

}  // namespace pc::server
