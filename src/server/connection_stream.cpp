#include "pc/server/connection_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace pc::server {

namespace {

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd p{fd, events, 0};
    int n = 0;
    do {
        n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (n < 0 && errno == EINTR);
    return n > 0;
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
        ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
        port = ntohs(a.sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
        ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
        port = ntohs(a.sin6_port);
    }
    ip = text;
}

}  // namespace

bool ConnectionStream::is_readable() const {
    return !connection_.pending().empty() || wait_for(connection_.fd(), POLLIN, read_timeout_);
}

bool ConnectionStream::is_writable() const {
    return wait_for(connection_.fd(), POLLOUT, write_timeout_);
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
    if (!connection_.pending().empty()) return static_cast<ssize_t>(connection_.take(ptr, size));
    if (!wait_for(connection_.fd(), POLLIN, read_timeout_)) return -1;
    ssize_t n = 0;
    do {
        n = ::recv(connection_.fd(), ptr, size, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n > 0) connection_.last_activity = Connection::Clock::now();
    return n;
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
    if (!wait_for(connection_.fd(), POLLOUT, write_timeout_)) return -1;
    ssize_t n = 0;
    do {
        n = ::send(connection_.fd(), ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(connection_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        address_of(addr, ip, port);
    }
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(connection_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        address_of(addr, ip, port);
    }
}

}  // namespace pc::server
