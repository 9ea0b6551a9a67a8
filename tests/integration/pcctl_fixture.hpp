// A real pcd on 127.0.0.1 (ephemeral port, temp home with known keys) and a pcctl runner, for
// pcctl's integration tests.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>

#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace pc::test {

inline constexpr const char* kMachineKey = "machine-key-for-tests-0001";
inline constexpr const char* kAdminKey = "admin-key-for-tests-0001";

// A self-signed certificate for 127.0.0.1 made by the openssl CLI; false when it is missing.
inline bool make_self_signed_cert(const std::filesystem::path& cert,
                                  const std::filesystem::path& key) {
    auto r = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                  key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=127.0.0.1",
                  "-addext", "subjectAltName=IP:127.0.0.1"},
                 {}, std::chrono::seconds(30));
    return r.exit_code == 0;
}

class PcdProcess {
public:
    // With `tls` (certificate, key) pcd serves HTTPS; `env` adds or overrides variables.
    explicit PcdProcess(
        std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls = {},
        std::map<std::string, std::string> env = {})
        : tls_(std::move(tls)), extra_env_(std::move(env)) {
        write_file(home_ / "apikeys", std::string(kMachineKey) + "\n");
        write_file(home_ / "adminkeys", std::string(kAdminKey) + "\n");
        start();
    }
    // With more settings (e.g. PCD_RETENTION) in the environment. The tag keeps a braced TLS
    // pair from also matching this constructor.
    struct WithEnv {};
    PcdProcess(WithEnv, std::map<std::string, std::string> extra_env)
        : extra_env_(std::move(extra_env)) {
        write_file(home_ / "apikeys", std::string(kMachineKey) + "\n");
        write_file(home_ / "adminkeys", std::string(kAdminKey) + "\n");
        start();
    }
    ~PcdProcess() { stop(); }
    PcdProcess(const PcdProcess&) = delete;
    PcdProcess& operator=(const PcdProcess&) = delete;

    void start() {
        std::map<std::string, std::string> env{{"PCD_HOME", home_.path().string()},
                                               {"PCD_LISTENADDRESS", "127.0.0.1:0"},
                                               {"PCD_LOGLEVEL", "info"}};
        for (const auto& [name, value] : extra_env_) env[name] = value;
        if (tls_) {
            env["PCD_TLSCERT"] = tls_->first.string();
            env["PCD_TLSKEY"] = tls_->second.string();
        }
        for (const auto& [name, value] : extra_env_) env[name] = value;
        child_ =
            std::make_unique<Child>(std::vector<std::string>{(bin_dir() / "pcd").string()}, env);
        if (!child_->wait_for_err("listening on 127.0.0.1:", std::chrono::seconds(15))) {
            ADD_FAILURE() << "pcd did not start: " << child_->err_so_far();
            return;
        }
        std::smatch m;
        std::string err = child_->err_so_far();
        if (std::regex_search(err, m, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)"))) {
            url_ = std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + m[1].str();
        }
    }
    void stop() {
        if (!child_) return;
        child_->signal(SIGTERM);
        child_->wait(std::chrono::seconds(10));
        child_.reset();
    }
    void reload() { child_->signal(SIGHUP); }
    std::string err() const { return child_ ? child_->err_so_far() : ""; }
    const std::string& url() const { return url_; }
    std::filesystem::path home() const { return home_.path(); }

private:
    std::optional<std::pair<std::filesystem::path, std::filesystem::path>> tls_;
    std::map<std::string, std::string> extra_env_;
    TempDir home_;
    std::unique_ptr<Child> child_;
    std::string url_;
};

// Runs build/bin/pcctl with `args`; the server and keys come from the environment given, never
// from the caller's shell (those variables are overridden).
inline ProcessResult pcctl(const std::vector<std::string>& args,
                           std::map<std::string, std::string> env = {},
                           const std::optional<std::string>& stdin_data = std::nullopt) {
    std::vector<std::string> argv{(bin_dir() / "pcctl").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* var : {"PCC_SERVER_URL", "PCC_APIKEY", "PCCTL_ADMINKEY", "PCC_CAFILE",
                            "PCD_HOME", "PCD_APIKEYS_FILE", "PCD_ADMINKEYS_FILE", "PCC_IDENTIFIER",
                            "PCCTL_LOGLEVEL", "PCCTL_TIMEOUT"}) {
        env.try_emplace(var, "");
    }
    return run(argv, env, std::chrono::seconds(40), stdin_data);
}

// A synthetic collection of `ticks` ticks at 5 s with growing counters (not meant for sar
// figures, only for transport and validation).
inline std::string synthetic_collection(int ticks, std::int64_t start = 1767800000) {
    std::string out;
    for (int t = 0; t < ticks; ++t) {
        std::int64_t ts = start + 5 * t;
        auto n = std::to_string(1000 + 37 * t);
        pc::record::encode_record({ts, "/proc/stat",
                                   "cpu  " + n + " 0 " + n + " 90000 10 0 5 0 0 0\ncpu0 " + n +
                                       " 0 " + n + " 90000 10 0 5 0 0 0\nbtime 1767700000\n"},
                                  out);
        pc::record::encode_record(
            {ts, "/proc/meminfo", "MemTotal: 2000000 kB\nMemFree: 1000000 kB\n"}, out);
        pc::record::encode_record(
            {ts, "statfs[*]",
             "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":100,"
             "\"blocks_free\":50,\"blocks_available\":40}\n"},
            out);
    }
    return out;
}

}  // namespace pc::test
