#include "pc/server/listen_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>

namespace pc::server {

void set_exclusive_listen_options(int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const int flags = ::fcntl(sock, F_GETFD);
    if (flags >= 0) ::fcntl(sock, F_SETFD, flags | FD_CLOEXEC);
}

}  // namespace pc::server
