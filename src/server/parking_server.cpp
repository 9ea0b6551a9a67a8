#include "pc/server/parking_server.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <string_view>

#include "pc/server/connection_stream.hpp"
#include "pc/server/peer_watch.hpp"
#include "pc/server/raw_response.hpp"

// ParkingServer overrides cpp-httplib's private process_and_close_socket and calls its
// process_request: both are internals that change between releases.
static_assert(std::string_view(CPPHTTPLIB_VERSION) == "0.11.4",
              "pcd's front end (ParkingServer) was written against cpp-httplib 0.11.4 internals; "
              "check process_and_close_socket and process_request in the new httplib.h, then "
              "update this check");

namespace pc::server {

// The task queue httplib runs accepted sockets on, plus the parker those connections wait in;
// one per listen(). Shutting it down closes the parked connections and lets requests in
// flight finish.
class ParkingServer::Queue final : public httplib::TaskQueue {
public:
    Queue(ParkingServer& server, std::size_t workers)
        : pool_(workers), parker_(server.limits_, [this, &server](std::shared_ptr<Connection> c) {
              pool_.enqueue([&server, c = std::move(c)]() mutable { server.serve(std::move(c)); });
          }) {}

    void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
    void shutdown() override {
        parker_.stop();
        pool_.shutdown();
    }
    ConnectionParker& parker() { return parker_; }

private:
    httplib::ThreadPool pool_;
    ConnectionParker parker_;
};

ParkingServer::ParkingServer(std::size_t workers, ParkingLimits limits)
    : workers_(workers), limits_(limits) {
    new_task_queue = [this]() -> httplib::TaskQueue* {
        auto queue = std::make_unique<Queue>(*this, workers_);
        queue_ = queue.get();
        return queue.release();  // httplib owns the queue for the duration of listen()
    };
}

std::size_t ParkingServer::parked_connections() const {
    Queue* q = queue_.load();
    return q ? q->parker().parked() : 0;
}

bool ParkingServer::process_and_close_socket(socket_t sock) {
    // Workers read and write with poll() and non-blocking calls; these only guard stray
    // blocking calls.
    timeval tv{static_cast<time_t>(read_timeout_sec_),
               static_cast<suseconds_t>(read_timeout_usec_)};
    ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto connection = std::make_shared<Connection>(sock);
    Queue* q = queue_.load();
    if (q == nullptr || svr_sock_ == INVALID_SOCKET) return false;  // closed by its destructor
    q->parker().park(std::move(connection));
    return true;
}

void ParkingServer::serve(std::shared_ptr<Connection> connection) {
    using std::chrono::microseconds;
    using std::chrono::milliseconds;
    using std::chrono::seconds;
    const auto read_timeout = std::chrono::duration_cast<milliseconds>(
        seconds(read_timeout_sec_) + microseconds(read_timeout_usec_));
    const auto write_timeout = std::chrono::duration_cast<milliseconds>(
        seconds(write_timeout_sec_) + microseconds(write_timeout_usec_));
    while (true) {
        ConnectionStream stream(*connection, read_timeout, write_timeout);
        const bool last =
            svr_sock_ == INVALID_SOCKET || ++connection->requests_served >= keep_alive_max_count_;
        bool client_closes = false;
        const PeerScope peer(connection->fd());
        const bool ok = process_request(stream, last, client_closes, nullptr);
        if (!ok || last || client_closes) return;  // the connection closes with its last owner
        connection->last_activity = Connection::Clock::now();
        if (!connection->pending().empty()) {
            // Pipelined: the next request started arriving with this one.
            connection->request_started = connection->last_activity;
            Assessment next = assess_request(connection->pending(), limits_.framing);
            if (next.state == Framing::ready) continue;
            if (next.state == Framing::refuse) {
                connection->send_best_effort(raw_error_response(next.status, next.message));
                connection->linger(Connection::Clock::now() + std::chrono::seconds(2));
            }
        }
        Queue* q = queue_.load();
        if (q == nullptr) return;
        q->parker().park(std::move(connection));
        return;
    }
}

}  // namespace pc::server
