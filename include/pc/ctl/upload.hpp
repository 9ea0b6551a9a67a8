// pcctl upload: send a processed CSV to the portal's upload API (the XATbackend contract).
//
// Contract: POST <XATBACKEND_URL>/api/v1/performance/upload, multipart/form-data with fields
// `file` (the CSV), `machine_id` and `tenant_id`, header `Authorization: Bearer <key>`.
// Success: any 2xx with {"upload_id":"...","rows_imported":N}. Failure: 4xx/5xx with
// {"error_code":"...","message":"..."}. Network errors, 429 and 5xx are retried with backoff;
// other statuses are final.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/ctl/command.hpp"

namespace pc::ctl {

inline constexpr std::string_view kUploadRoute = "/api/v1/performance/upload";

struct UploadConfig {
    std::string url;         // XATBACKEND_URL: the portal's base URL
    std::string apikey;      // XATBACKEND_APIKEY, sent as a Bearer token
    std::string tenant_id;   // XATBACKEND_TENANT_ID, else TENANT_ID
    std::string machine_id;  // MACHINE_ID
    std::string cafile;      // XATBACKEND_CAFILE: private CA of the portal, empty = system CAs
    int retry_max = 3;       // UPLOAD_RETRY_MAX: retries after the first attempt
    std::chrono::milliseconds timeout{60000};    // UPLOAD_TIMEOUT, per attempt phase
    std::chrono::milliseconds retry_base{5000};  // UPLOAD_RETRY_BASE: first retry delay
    std::chrono::milliseconds retry_cap{60000};  // delays double up to this
};

enum class UploadVerdict { success, retry, fail };

// 0 (no response), 429 and 5xx are worth retrying; 2xx is success; anything else is final.
UploadVerdict classify_upload_status(int status);

// The delays before retries 1..n: base, base*2, ... capped at `cap` (no jitter: one client).
std::vector<std::chrono::milliseconds> upload_retry_delays(int retries,
                                                           std::chrono::milliseconds base,
                                                           std::chrono::milliseconds cap);

struct MultipartField {
    std::string name;
    std::string value;
    std::string filename;      // set for a file part
    std::string content_type;  // of a file part
};

// A multipart/form-data body; `boundary` must not occur in any value.
std::string encode_multipart(const std::vector<MultipartField>& fields,
                             const std::string& boundary);

struct UploadOutcome {
    bool ok = false;
    int status = 0;  // last HTTP status; 0 when no response arrived
    int attempts = 0;
    std::string upload_id;
    std::optional<std::int64_t> rows_imported;
    std::string error_code;  // failure: from the server, or "network_error" / "http_<status>"
    std::string message;
};

// Reads a response body into `outcome` (success fields on 2xx, error fields otherwise).
void parse_upload_response(int status, std::string_view body, UploadOutcome& outcome);

using Sleeper = std::function<void(std::chrono::milliseconds)>;

// Validates the configuration (UserError naming the variable to set) and the CSV (readable,
// not empty), then uploads with retries. Never throws for an HTTP or network failure: the
// outcome says what happened.
UploadOutcome upload_csv(const UploadConfig& config, const std::filesystem::path& csv,
                         const Sleeper& sleep);

void register_upload_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
