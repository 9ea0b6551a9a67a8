// httplib's view of a Connection: reads drain the read-ahead buffer first, then the socket.
#pragma once

#include <httplib.h>

#include <chrono>

#include "pc/server/connection.hpp"

namespace pc::server {

class ConnectionStream final : public httplib::Stream {
public:
    ConnectionStream(Connection& connection, std::chrono::milliseconds read_timeout,
                     std::chrono::milliseconds write_timeout)
        : connection_(connection), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return connection_.fd(); }

private:
    Connection& connection_;
    std::chrono::milliseconds read_timeout_;
    std::chrono::milliseconds write_timeout_;
};

}  // namespace pc::server
