// Options for pcd's (and the tests' in-process servers') listening sockets.
#pragma once

namespace pc::server {

// SO_REUSEADDR, so a restarted pcd binds over its old connections in TIME_WAIT, and
// close-on-exec. Deliberately not SO_REUSEPORT (cpp-httplib's default): with it a second
// process of the same user binds the same port without error and the kernel splits the
// connections between the two, so a stray second pcd would silently take half the agents.
void set_exclusive_listen_options(int sock);

}  // namespace pc::server
