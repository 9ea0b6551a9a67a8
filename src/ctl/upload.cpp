#include "pc/ctl/upload.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "pc/client/base_url.hpp"
#include "pc/client/http_client.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"

namespace fs = std::filesystem;

namespace pc::ctl {

UploadVerdict classify_upload_status(int status) {
    if (status >= 200 && status < 300) return UploadVerdict::success;
    if (status == 0 || status == 429 || (status >= 500 && status < 600)) {
        return UploadVerdict::retry;
    }
    return UploadVerdict::fail;
}

std::vector<std::chrono::milliseconds> upload_retry_delays(int retries,
                                                           std::chrono::milliseconds base,
                                                           std::chrono::milliseconds cap) {
    std::vector<std::chrono::milliseconds> delays;
    auto delay = std::min(base, cap);
    for (int i = 0; i < retries; ++i) {
        delays.push_back(delay);
        delay = std::min(delay * 2, cap);
    }
    return delays;
}

namespace {

// Quotes a value for a Content-Disposition parameter: no line breaks, '"' and '\' escaped.
std::string disposition_value(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\r' || c == '\n') continue;
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string random_boundary() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes available");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "pcctl-boundary-";
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 0xF];
    }
    return out;
}

std::string body_excerpt(std::string_view body) {
    std::string out;
    for (char c : body.substr(0, 200)) out += (c == '\n' || c == '\r') ? ' ' : c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::string encode_multipart(const std::vector<MultipartField>& fields,
                             const std::string& boundary) {
    std::string body;
    for (const auto& f : fields) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + disposition_value(f.name) + "\"";
        if (!f.filename.empty()) body += "; filename=\"" + disposition_value(f.filename) + "\"";
        body += "\r\n";
        if (!f.content_type.empty()) body += "Content-Type: " + f.content_type + "\r\n";
        body += "\r\n";
        body += f.value;
        body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

void parse_upload_response(int status, std::string_view body, UploadOutcome& outcome) {
    outcome.status = status;
    auto json = nlohmann::json::parse(body, nullptr, false);
    bool is_object = !json.is_discarded() && json.is_object();
    auto text_field = [&](const char* key) -> std::string {
        if (!is_object || !json.contains(key)) return {};
        const auto& v = json[key];
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
        return v.dump();
    };
    if (classify_upload_status(status) == UploadVerdict::success) {
        outcome.ok = true;
        outcome.upload_id = text_field("upload_id");
        if (is_object && json.contains("rows_imported") &&
            json["rows_imported"].is_number_integer()) {
            outcome.rows_imported = json["rows_imported"].get<std::int64_t>();
        }
        return;
    }
    outcome.ok = false;
    outcome.error_code = text_field("error_code");
    outcome.message = text_field("message");
    if (outcome.message.empty()) outcome.message = text_field("error");
    if (outcome.message.empty() && !is_object) outcome.message = body_excerpt(body);
    if (outcome.error_code.empty()) outcome.error_code = "http_" + std::to_string(status);
}

UploadOutcome upload_csv(const UploadConfig& config, const fs::path& csv, const Sleeper& sleep) {
    auto require = [](const std::string& value, const char* what, const char* fix) {
        if (value.empty()) throw core::UserError(std::string(what) + " is not set; " + fix);
    };
    require(config.url, "the portal URL", "set XATBACKEND_URL or pass --url");
    require(config.apikey, "the portal API key", "set XATBACKEND_APIKEY or pass --backend-apikey");
    require(config.tenant_id, "the tenant id",
            "set XATBACKEND_TENANT_ID (or TENANT_ID) or pass --tenant-id");
    require(config.machine_id, "the machine id", "set MACHINE_ID or pass --machine-id");
    if (config.retry_max < 0) throw core::UserError("UPLOAD_RETRY_MAX must be 0 or more");

    auto base = client::parse_base_url(config.url, "XATBACKEND_URL");
    std::string data = core::read_whole_file(csv);
    if (data.empty()) {
        throw core::UserError("CSV " + csv.string() + " is empty; make one with pcprocess first");
    }
    std::string boundary = random_boundary();
    while (data.find(boundary) != std::string::npos) boundary = random_boundary();
    std::string body =
        encode_multipart({{"machine_id", config.machine_id, "", ""},
                          {"tenant_id", config.tenant_id, "", ""},
                          {"file", std::move(data), csv.filename().string(), "text/csv"}},
                         boundary);

    client::HttpClientOptions options;
    options.connect_timeout = config.timeout;
    options.read_timeout = config.timeout;
    options.write_timeout = config.timeout;
    options.ca_file = config.cafile;
    client::HttpClient http(base, options);
    const client::Headers headers{{"Authorization", "Bearer " + config.apikey},
                                  {"Accept", "application/json"}};
    const auto delays = upload_retry_delays(config.retry_max, config.retry_base, config.retry_cap);

    UploadOutcome outcome;
    for (int attempt = 0;; ++attempt) {
        outcome = UploadOutcome{};
        outcome.attempts = attempt + 1;
        spdlog::debug("upload attempt {}: POST {}{} ({} bytes)", attempt + 1, base.to_string(),
                      kUploadRoute, body.size());
        auto result =
            http.post(kUploadRoute, body, "multipart/form-data; boundary=" + boundary, headers);
        spdlog::debug(
            "upload attempt {}: {}", attempt + 1,
            result.has_response() ? "HTTP " + std::to_string(result.status()) : result.error);
        std::string why;
        if (result.has_response()) {
            parse_upload_response(result.status(), result.response->body, outcome);
            if (outcome.ok) return outcome;
            why = "HTTP " + std::to_string(outcome.status) + " " + outcome.error_code;
        } else {
            outcome.error_code = "network_error";
            outcome.message = result.error;
            why = result.error;
        }
        if (classify_upload_status(outcome.status) != UploadVerdict::retry ||
            attempt >= static_cast<int>(delays.size())) {
            return outcome;
        }
        auto delay = delays[static_cast<std::size_t>(attempt)];
        spdlog::warn("upload attempt {} of {} failed ({}); retrying in {} ms", attempt + 1,
                     delays.size() + 1, why, delay.count());
        sleep(delay);
    }
}

namespace {

struct UploadArgs {
    std::string csv;
    UploadConfig config;
    std::string retry_base = "5s";
    std::string timeout = "60s";
};

}  // namespace

void register_upload_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<UploadArgs>();
    auto* cmd = root.add_subcommand(
        "upload",
        "Send a processed CSV to the portal: POST <url>/api/v1/performance/upload (multipart "
        "file, machine_id, tenant_id; Authorization: Bearer). Retries network errors, 429 and "
        "5xx with backoff; other 4xx are final");
    cmd->add_option("csv", args->csv, "The CSV file to upload")->required();
    cmd->add_option("--url", args->config.url, "Portal base URL; default: none (required)")
        ->envname("XATBACKEND_URL");
    cmd->add_option("--backend-apikey", args->config.apikey,
                    "Portal API key, sent as a Bearer token (prefer the environment variable); "
                    "default: none (required)")
        ->envname("XATBACKEND_APIKEY");
    cmd->add_option("--tenant-id", args->config.tenant_id, "Tenant id; default: none (required)")
        ->envname("XATBACKEND_TENANT_ID")
        // The fallback variable is read by the action below; say so where the env var is shown.
        ->option_text("TEXT (Env:XATBACKEND_TENANT_ID, else TENANT_ID)");
    cmd->add_option("--machine-id", args->config.machine_id, "Machine id; default: none (required)")
        ->envname("MACHINE_ID");
    cmd->add_option("--backend-cafile", args->config.cafile,
                    "PEM CA file for a portal with a private CA; default: the system CA store")
        ->envname("XATBACKEND_CAFILE");
    cmd->add_option("--retry-max", args->config.retry_max, "Retries after the first attempt")
        ->envname("UPLOAD_RETRY_MAX")
        ->capture_default_str();
    cmd->add_option("--timeout", args->timeout,
                    "Connect/send/receive timeout of each attempt (Go duration or seconds)")
        ->envname("UPLOAD_TIMEOUT")
        ->capture_default_str();
    cmd->add_option("--retry-base", args->retry_base,
                    "First retry delay; each retry doubles it, capped at 60s")
        ->envname("UPLOAD_RETRY_BASE")
        ->capture_default_str();
    actions.add(cmd, [args, &global](Streams s) {
        UploadConfig config = args->config;
        if (config.tenant_id.empty()) {
            if (const char* t = std::getenv("TENANT_ID")) config.tenant_id = t;
        }
        config.timeout = parse_duration_setting(args->timeout, "UPLOAD_TIMEOUT");
        config.retry_base = parse_duration_setting(args->retry_base, "UPLOAD_RETRY_BASE");
        if (config.timeout.count() == 0)
            throw core::UserError("UPLOAD_TIMEOUT must be more than 0");
        auto outcome = upload_csv(
            config, args->csv, [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
        if (global.json) {
            nlohmann::json j{
                {"ok", outcome.ok}, {"status", outcome.status}, {"attempts", outcome.attempts}};
            if (outcome.ok) {
                j["upload_id"] = outcome.upload_id;
                j["rows_imported"] = outcome.rows_imported ? nlohmann::json(*outcome.rows_imported)
                                                           : nlohmann::json(nullptr);
            } else {
                j["error_code"] = outcome.error_code;
                j["message"] = outcome.message;
            }
            core::print_json(s.out, j);
        } else if (outcome.ok) {
            s.out << "uploaded " << args->csv << ": upload_id "
                  << (outcome.upload_id.empty() ? "(none given)" : outcome.upload_id)
                  << ", rows imported "
                  << (outcome.rows_imported ? std::to_string(*outcome.rows_imported)
                                            : std::string("(not reported)"))
                  << '\n';
        }
        if (outcome.ok) return 0;
        std::string status =
            outcome.status ? "HTTP " + std::to_string(outcome.status) : std::string("no response");
        throw core::UserError("upload failed after " + std::to_string(outcome.attempts) +
                              (outcome.attempts == 1 ? " attempt" : " attempts") + " (" + status +
                              "): error_code " + outcome.error_code + ": " + outcome.message);
    });
}

}  // namespace pc::ctl
