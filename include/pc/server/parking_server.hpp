// pcd's plain-HTTP server: httplib's routing and request parsing, with a connection front end
// of our own. httplib alone gives each connection a worker thread for as long as it stays
// open, so a few hundred idle or slow clients starve everyone else. Here a connection holds a
// worker only while a request that has fully arrived is being served; between requests it
// waits in a ConnectionParker. (HTTPS keeps httplib's thread-per-connection model: the TLS
// session lives inside httplib.)
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <memory>

#include "pc/server/connection.hpp"
#include "pc/server/connection_parker.hpp"

namespace pc::server {

class ParkingServer final : public httplib::Server {
public:
    // `workers`: requests served at once (a request waiting for its fsync holds one).
    ParkingServer(std::size_t workers, ParkingLimits limits);

    std::size_t parked_connections() const;

private:
    class Queue;

    // Called by httplib on a worker for each accepted socket: park it until a request arrives.
    bool process_and_close_socket(socket_t sock) override;
    // Serves the ready request(s) of a connection on a worker, then parks it again.
    void serve(std::shared_ptr<Connection> connection);

    std::size_t workers_;
    ParkingLimits limits_;
    std::atomic<Queue*> queue_{nullptr};  // the running listen()'s queue and parker
};

}  // namespace pc::server
