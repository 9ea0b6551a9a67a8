// One accepted client connection of pcd's front end, with the bytes read ahead of the worker
// that will parse them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pc::server {

class Connection {
public:
    using Clock = std::chrono::steady_clock;

    explicit Connection(int fd) : fd_(fd) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();  // shuts the socket down and closes it

    int fd() const { return fd_; }

    // Bytes received and not yet consumed by a request.
    std::string_view pending() const { return std::string_view(buffer_).substr(consumed_); }
    void append(std::string_view bytes) { buffer_.append(bytes); }
    // Takes up to n pending bytes into out; returns how many.
    std::size_t take(char* out, std::size_t n);
    // Best effort, never blocks: the client may be gone or not reading.
    void send_best_effort(std::string_view bytes) const;
    // After a refusal: no more answers (shutdown for writing), what arrives from now on is read
    // and dropped until the client closes or `until` passes, so that a client still sending the
    // body it announced gets to read the answer instead of a reset.
    void linger(Clock::time_point until);

    std::size_t requests_served = 0;
    // When the current request's first byte arrived; unset (epoch) between requests.
    Clock::time_point request_started{};
    Clock::time_point last_activity = Clock::now();
    // Of the request arriving: the body length its head announced, and whether the front end
    // has answered its "Expect: 100-continue".
    std::uint64_t expected_body = 0;
    bool continue_sent = false;
    // Set by linger().
    bool lingering = false;
    Clock::time_point linger_until{};
    std::uint64_t discarded = 0;

private:
    int fd_;
    std::string buffer_;
    std::size_t consumed_ = 0;
};

}  // namespace pc::server
