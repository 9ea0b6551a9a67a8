// Holds connections that are waiting on their client (idle keep-alive, a request still
// arriving) in one epoll thread, so that only requests ready to be served occupy a worker.
// Thousands of held or slow connections then cost a descriptor and a small buffer each.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "pc/server/connection.hpp"
#include "pc/server/request_framing.hpp"

namespace pc::server {

struct ParkingLimits {
    std::chrono::milliseconds idle_timeout{5000};   // between requests on a keep-alive connection
    std::chrono::milliseconds head_timeout{10000};  // from a request's first byte to its end
    FramingLimits framing;
    std::size_t buffer_budget = 64u << 20;  // bytes of bodies held over all parked connections
};

class ConnectionParker {
public:
    using Dispatch = std::function<void(std::shared_ptr<Connection>)>;

    // `dispatch` receives each connection whose request is ready; it runs on the parker's
    // thread and must not block (it queues work for a worker).
    ConnectionParker(ParkingLimits limits, Dispatch dispatch);
    ConnectionParker(const ConnectionParker&) = delete;
    ConnectionParker& operator=(const ConnectionParker&) = delete;
    ~ConnectionParker();

    // Waits for the connection's next request. During stop(), an idle connection that has
    // been served is closed instead; after stop(), every connection is.
    void park(std::shared_ptr<Connection> connection);
    // Graceful end: closes idle keep-alive connections at once, keeps each connection whose
    // request is still arriving (or that has not sent its first request yet) until the request
    // has arrived and is dispatched, or its deadline passes (at most head_timeout from now),
    // then ends the thread. Returns when no connection is left.
    void stop();
    std::size_t parked() const;

private:
    struct Entry {
        std::shared_ptr<Connection> connection;
        Connection::Clock::time_point deadline;
    };
    using Deadline = std::pair<Connection::Clock::time_point, int>;

    void run();
    void on_readable(int fd);
    void expire(Connection::Clock::time_point now);
    // With mutex_ held: forget the entry (epoll, deadline, budget) and return its connection.
    std::shared_ptr<Connection> take(int fd);
    void set_deadline(Entry& entry, Connection::Clock::time_point deadline);
    Connection::Clock::time_point deadline_for(const Connection& c) const;

    // With mutex_ held: starts the drain, closing the idle connections that were served.
    void begin_drain();

    ParkingLimits limits_;
    Dispatch dispatch_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    mutable std::mutex mutex_;
    std::unordered_map<int, Entry> entries_;
    std::set<Deadline> deadlines_;
    std::size_t buffered_ = 0;
    bool draining_ = false;  // stop() has begun: no connection waits past drain_deadline_
    Connection::Clock::time_point drain_deadline_{};
    bool stopped_ = false;  // the thread has ended
    std::thread thread_;
};

}  // namespace pc::server
