#include "pc/server/listen_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace {

// A TCP socket on 127.0.0.1 with the exclusive options; -1 when bind fails (errno kept).
class ListenSocket {
public:
    explicit ListenSocket(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        pc::server::set_exclusive_listen_options(fd_);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                 ::listen(fd_, 8) == 0;
        bind_errno_ = bound_ ? 0 : errno;
    }
    ~ListenSocket() { ::close(fd_); }
    ListenSocket(const ListenSocket&) = delete;
    ListenSocket& operator=(const ListenSocket&) = delete;

    bool bound() const { return bound_; }
    int bind_errno() const { return bind_errno_; }
    int fd() const { return fd_; }
    int port() const {
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        return ntohs(addr.sin_port);
    }

private:
    int fd_ = -1;
    bool bound_ = false;
    int bind_errno_ = 0;
};

TEST(ListenSocket, SecondListenerOnTheSamePortIsRefused) {
    ListenSocket first(0);
    ASSERT_TRUE(first.bound()) << std::strerror(first.bind_errno());
    ListenSocket second(first.port());
    EXPECT_FALSE(second.bound());
    EXPECT_EQ(second.bind_errno(), EADDRINUSE);
}

TEST(ListenSocket, ReuseAddressOnAndReusePortOffAndCloseOnExec) {
    ListenSocket s(0);
    ASSERT_TRUE(s.bound());
    int value = -1;
    socklen_t len = sizeof value;
    ASSERT_EQ(::getsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &value, &len), 0);
    EXPECT_NE(value, 0);
    value = -1;
    ASSERT_EQ(::getsockopt(s.fd(), SOL_SOCKET, SO_REUSEPORT, &value, &len), 0);
    EXPECT_EQ(value, 0);
    EXPECT_NE(::fcntl(s.fd(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(ListenSocket, PortIsFreeAgainOnceClosed) {
    int port = 0;
    {
        ListenSocket first(0);
        ASSERT_TRUE(first.bound());
        port = first.port();
    }
    ListenSocket again(port);
    EXPECT_TRUE(again.bound()) << std::strerror(again.bind_errno());
}

}  // namespace
