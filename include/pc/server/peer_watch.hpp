// Whether the client of the request this thread is serving is still connected: long requests
// (the load test) stop when it has hung up. ParkingServer names the connection for the time a
// worker serves it; elsewhere (HTTPS, tests on plain httplib) nothing is known.
#pragma once

namespace pc::server {

class PeerScope {
public:
    explicit PeerScope(int fd);
    ~PeerScope();
    PeerScope(const PeerScope&) = delete;
    PeerScope& operator=(const PeerScope&) = delete;

private:
    int previous_;
};

// True once the client of this thread's request has closed or reset its connection; false when
// it is connected or not known.
bool peer_hung_up();

}  // namespace pc::server
