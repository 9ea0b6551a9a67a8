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

    // Waits for the connection's next request. After stop(), closes it instead.
    void park(std::shared_ptr<Connection> connection);
    // Closes every parked connection and ends the thread.
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

    ParkingLimits limits_;
    Dispatch dispatch_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    mutable std::mutex mutex_;
    std::unordered_map<int, Entry> entries_;
    std::set<Deadline> deadlines_;
    std::size_t buffered_ = 0;
    bool stopped_ = false;
    std::thread thread_;
};

}  // namespace pc::server
