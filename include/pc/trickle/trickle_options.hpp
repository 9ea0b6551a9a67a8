// Configuration of pcc's trickle mode (filled by pcc's configuration, used by the trickle sink).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

namespace pc::trickle {

struct TrickleOptions {
    // PCC_SERVER_URL (or PCC_SERVER host:port): one base URL, or several comma-separated
    // (split_server_list): the sender moves to the next on connection errors and 5xx.
    std::string server_url = "http://localhost:8080";
    std::string api_key;                              // PCC_APIKEY, required
    std::string identifier;                           // PCC_IDENTIFIER
    std::string ca_file;                              // PCC_CAFILE, empty = system CAs
    bool gzip = true;                                 // PCC_COMPRESSION gzip|none
    std::filesystem::path spool_dir;                  // PCC_SPOOL
    std::size_t spool_max_bytes = 256u << 20;         // PCC_SPOOL_MAX
    std::size_t batch_max = 10;                       // PCC_BATCH_MAX ticks per request
    std::chrono::milliseconds drain_timeout{10000};   // PCC_DRAIN_TIMEOUT
    std::chrono::milliseconds request_timeout{5000};  // per request (the original's 5 s)
    // Retry delays after a failed request: exponential with jitter from retry_initial,
    // doubling up to retry_max. Tests shorten them.
    std::chrono::milliseconds retry_initial{1000};
    std::chrono::milliseconds retry_max{60000};
};

}  // namespace pc::trickle
