#include "pc/server/raw_response.hpp"

#include "pc/api/error_body.hpp"

namespace pc::server {

namespace {

std::string_view reason_phrase(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 408:
            return "Request Timeout";
        case 411:
            return "Length Required";
        case 413:
            return "Content Too Large";
        case 417:
            return "Expectation Failed";
        case 431:
            return "Request Header Fields Too Large";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

}  // namespace

std::string raw_error_response(int status, std::string_view message,
                               std::optional<int> retry_after_seconds) {
    const std::string body = api::encode_error_body(message);
    std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
    out += reason_phrase(status);
    out += "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n";
    if (retry_after_seconds) out += "Retry-After: " + std::to_string(*retry_after_seconds) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

}  // namespace pc::server
