#include "pc/server/connection_parker.hpp"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <string_view>
#include <vector>

#include "pc/core/error.hpp"
#include "pc/server/raw_response.hpp"

namespace pc::server {

namespace {

// A body must arrive at this rate at least, on top of head_timeout: a client trickling a byte
// at a time cannot hold its buffer for ever.
constexpr std::uint64_t kMinBodyBytesPerSecond = 16 * 1024;

}  // namespace

ConnectionParker::ConnectionParker(ParkingLimits limits, Dispatch dispatch)
    : limits_(limits), dispatch_(std::move(dispatch)) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
        throw std::runtime_error("cannot create the connection poller: " + core::errno_text(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    thread_ = std::thread([this] { run(); });
}

ConnectionParker::~ConnectionParker() {
    stop();
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void ConnectionParker::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!draining_) begin_drain();
    }
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    stopped_ = true;
    entries_.clear();  // closes them (none is left unless the thread failed)
    deadlines_.clear();
    buffered_ = 0;
}

namespace {

// A keep-alive connection waiting for its next request: a stop closes it rather than wait.
bool idle_after_a_request(const Connection& c) {
    return c.pending().empty() && c.requests_served > 0;
}

}  // namespace

void ConnectionParker::begin_drain() {
    draining_ = true;
    drain_deadline_ = Connection::Clock::now() + limits_.head_timeout;
    std::vector<int> idle;
    for (auto& [fd, entry] : entries_) {
        const Connection& c = *entry.connection;
        if (idle_after_a_request(c)) {
            idle.push_back(fd);
        } else {
            set_deadline(entry, deadline_for(c));
        }
    }
    for (int fd : idle) take(fd);  // closes it: its client opens a new connection, refused
}

std::size_t ConnectionParker::parked() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

Connection::Clock::time_point ConnectionParker::deadline_for(const Connection& c) const {
    // Between requests the keep-alive timeout applies; once a request has begun, its head must
    // be complete within head_timeout of its first byte (slow headers cannot stretch it), and
    // a body must keep arriving (head_timeout of silence at most).
    // While draining, nothing waits past the drain deadline, so a stop is bounded.
    Connection::Clock::time_point deadline;
    if (c.pending().empty()) {
        deadline = c.last_activity + limits_.idle_timeout;
    } else if (c.pending().find("\r\n\r\n") == std::string_view::npos) {
        deadline = c.request_started + limits_.head_timeout;
    } else {
        const auto body_allowance =
            std::chrono::milliseconds(c.expected_body * 1000 / kMinBodyBytesPerSecond);
        deadline = std::min(c.last_activity + limits_.head_timeout,
                            c.request_started + limits_.head_timeout + body_allowance);
    }
    return draining_ ? std::min(deadline, drain_deadline_) : deadline;
}

void ConnectionParker::set_deadline(Entry& entry, Connection::Clock::time_point deadline) {
    int fd = entry.connection->fd();
    deadlines_.erase({entry.deadline, fd});
    entry.deadline = deadline;
    deadlines_.insert({deadline, fd});
}

void ConnectionParker::park(std::shared_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    // The connection closes when its last owner lets go.
    if (stopped_ || (draining_ && idle_after_a_request(*connection))) return;
    int fd = connection->fd();
    auto deadline = deadline_for(*connection);
    buffered_ += connection->pending().size();
    auto [it, inserted] = entries_.emplace(fd, Entry{std::move(connection), {}});
    if (!inserted) return;  // cannot happen: a descriptor is parked once
    set_deadline(it->second, deadline);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        spdlog::warn("cannot watch a client connection: {}; closing it", core::errno_text(errno));
        take(fd);
    }
}

std::shared_ptr<Connection> ConnectionParker::take(int fd) {
    auto it = entries_.find(fd);
    if (it == entries_.end()) return nullptr;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    deadlines_.erase({it->second.deadline, fd});
    auto connection = std::move(it->second.connection);
    entries_.erase(it);
    buffered_ -= std::min(buffered_, connection->pending().size());
    return connection;
}

void ConnectionParker::on_readable(int fd) {
    std::shared_ptr<Connection> ready;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(fd);
        if (it == entries_.end()) return;
        Connection& c = *it->second.connection;
        std::array<char, 16 * 1024> chunk;
        bool closed = false;
        std::size_t received = 0;
        // Read what is there, but no more than a head plus the body cap per wake-up.
        while (received <= limits_.framing.head_max + limits_.framing.body_cap) {
            ssize_t n = ::recv(fd, chunk.data(), chunk.size(), MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
                break;
            }
            if (c.pending().empty()) {
                c.request_started = Connection::Clock::now();
                c.expected_body = 0;
                c.continue_sent = false;
            }
            c.append(std::string_view(chunk.data(), static_cast<std::size_t>(n)));
            received += static_cast<std::size_t>(n);
            buffered_ += static_cast<std::size_t>(n);
        }
        if (received > 0) c.last_activity = Connection::Clock::now();
        Assessment request =
            c.pending().empty() ? Assessment{} : assess_request(c.pending(), limits_.framing);
        if (request.state == Framing::need_more && request.head_complete && !closed &&
            request.body_length > 0 && buffered_ > limits_.buffer_budget) {
            // Bodies are held here, never by a worker: past the budget, new ones wait outside.
            request.state = Framing::refuse;
            request.status = 503;
            request.message = "too many request bodies arriving at once: retry";
        }
        if (request.state == Framing::ready) {
            ready = take(fd);  // a request that arrived with the client's FIN is still served
        } else if (request.state == Framing::refuse) {
            c.send_best_effort(
                raw_error_response(request.status, request.message,
                                   request.status == 503 ? std::optional<int>(1) : std::nullopt));
            take(fd);
            return;
        } else if (closed) {
            take(fd);
            return;
        } else {
            c.expected_body = request.body_length;
            if (request.expects_continue && !c.continue_sent) {
                c.send_best_effort(kContinueResponse);
                c.continue_sent = true;
            }
            set_deadline(it->second, deadline_for(c));
            return;
        }
    }
    dispatch_(std::move(ready));
}

void ConnectionParker::expire(Connection::Clock::time_point now) {
    std::lock_guard lock(mutex_);
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        int fd = deadlines_.begin()->second;
        auto connection = take(fd);
        if (connection && !connection->pending().empty()) {
            connection->send_best_effort(
                raw_error_response(408, "request not received in time: closing"));
        }
    }
}

void ConnectionParker::run() {
    std::array<epoll_event, 256> events;
    while (true) {
        const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 250);
        // n is -1 on error (EINTR): no events this round.
        const std::size_t ready = n > 0 ? static_cast<std::size_t>(n) : 0;
        for (std::size_t i = 0; i < ready; ++i) {
            if (events[i].data.fd == wake_fd_) {
                std::uint64_t count = 0;
                [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
            } else {
                on_readable(events[i].data.fd);
            }
        }
        expire(Connection::Clock::now());
        std::lock_guard lock(mutex_);
        if (draining_ && entries_.empty()) {
            stopped_ = true;  // later park() calls close their connection
            return;
        }
    }
}

}  // namespace pc::server
