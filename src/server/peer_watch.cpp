#include "pc/server/peer_watch.hpp"

#include <poll.h>

namespace pc::server {

namespace {

thread_local int current_fd = -1;

}  // namespace

PeerScope::PeerScope(int fd) : previous_(current_fd) {
    current_fd = fd;
}

PeerScope::~PeerScope() {
    current_fd = previous_;
}

bool peer_hung_up() {
    if (current_fd < 0) return false;
    // POLLRDHUP: the client closed (or shut down) its side; a request it pipelined after this
    // one only sets POLLIN.
    pollfd p{current_fd, POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace pc::server
