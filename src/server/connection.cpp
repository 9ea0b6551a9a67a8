#include "pc/server/connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace pc::server {

Connection::~Connection() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
}

std::size_t Connection::take(char* out, std::size_t n) {
    std::size_t k = std::min(n, buffer_.size() - consumed_);
    std::memcpy(out, buffer_.data() + consumed_, k);
    consumed_ += k;
    if (consumed_ == buffer_.size()) {
        buffer_.clear();
        consumed_ = 0;
        if (buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();  // idle connections stay small
    }
    return k;
}

void Connection::linger(Clock::time_point until) {
    buffer_.clear();
    consumed_ = 0;
    ::shutdown(fd_, SHUT_WR);
    lingering = true;
    linger_until = until;
}

void Connection::send_best_effort(std::string_view bytes) const {
    [[maybe_unused]] auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace pc::server
