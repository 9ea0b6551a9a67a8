// Shared by the trickle_* integration tests: the real pcd on an ephemeral port with its own
// home, the real pcc in trickle or local mode on the recorded procroot, and comparisons of what
// pcd stored with what local mode writes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pc/client/http_client.hpp"
#include "pc/keys/key_file.hpp"
#include "test_support.hpp"

namespace pc::trickle_it {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
}

// Subsystems whose content comes only from the procroot (statfs reads the live filesystems).
inline const char* kSubsystems =
    "/proc/cpuinfo,/proc/stat,/proc/meminfo,/proc/net/dev,/proc/diskstats,/proc/vmstat";
inline const char* kIdentifier = "it-host-01";

inline std::string openssl_path() {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/bin:/bin";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const fs::path candidate = fs::path(rest.substr(0, colon)) / "openssl";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    }
    return "openssl";
}

// A self-signed certificate for 127.0.0.1 made with the openssl CLI; false when unavailable.
inline bool make_self_signed(const fs::path& cert, const fs::path& key) {
    const auto r = test::run({openssl_path(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj",
                              "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                             {}, 30s);
    return r.exit_code == 0;
}

// pcd with a fresh home, one agent key and one admin key, restartable on the same port.
class Pcd {
public:
    Pcd() {
        agent_key = "agent-" + pc::keys::generate_api_key();
        pc::keys::write_key_file(home_.path() / "apikeys", {agent_key});
        pc::keys::write_key_file(home_.path() / "adminkeys",
                                 {"admin-" + pc::keys::generate_api_key()});
        port = test::pick_free_port();
    }
    void use_tls(const fs::path& cert, const fs::path& key) {
        tls_env_ = {{"PCD_TLSCERT", cert.string()}, {"PCD_TLSKEY", key.string()}};
        ca_file_ = cert.string();
    }
    // Extra settings for the next start(), e.g. {"PCD_MAXBODY", "1KiB"}.
    void set_env(const std::string& name, const std::string& value) { extra_env_[name] = value; }
    std::string url() const {
        return std::string(tls_env_.empty() ? "http" : "https") +
               "://127.0.0.1:" + std::to_string(port);
    }
    fs::path data_dir() const { return home_.path() / "data"; }
    fs::path stored_file() const { return data_dir() / (std::string(kIdentifier) + ".json"); }
    std::string stored() const {
        return fs::exists(stored_file()) ? test::read_file(stored_file()) : "";
    }

    // Starts pcd and waits until /health answers 200; false when it does not come up.
    bool start() {
        std::map<std::string, std::string> env{
            {"PCD_LISTENADDRESS", "127.0.0.1:" + std::to_string(port)},
            {"PCD_HOME", home_.path().string()},
            {"PCD_DATADIR", data_dir().string()},
            {"PCD_APIKEYS_FILE", (home_.path() / "apikeys").string()},
            {"PCD_ADMINKEYS_FILE", (home_.path() / "adminkeys").string()},
            {"PCD_LOGLEVEL", "debug"}};
        env.insert(tls_env_.begin(), tls_env_.end());
        for (const auto& [name, value] : extra_env_) env[name] = value;
        if (child_) logs_ += child_->err_so_far();
        child_ = std::make_unique<test::Child>(
            std::vector<std::string>{(test::bin_dir() / "pcd").string()}, env);
        client::HttpClientOptions options;
        options.ca_file = ca_file_;
        options.connect_timeout = options.read_timeout = 2s;
        client::HttpClient probe(client::parse_base_url(url()), options);
        return wait_until(
                   [&] { return !child_->running() || probe.get("/health").status() == 200; },
                   15s) &&
               child_->running();
    }
    void signal(int sig) { child_->signal(sig); }
    void kill_hard() {
        child_->signal(SIGKILL);
        child_->wait(10s);
    }
    // SIGHUP (reload keys), SIGTERM, ... to the running pcd.
    void send_signal(int sig) { child_->signal(sig); }
    // A clean stop (SIGTERM); true when pcd exited 0.
    bool stop() {
        child_->signal(SIGTERM);
        return child_->wait(30s).exit_code == 0;
    }
    std::string logs() const { return logs_ + (child_ ? child_->err_so_far() : ""); }

    std::string agent_key;
    int port = 0;

private:
    test::TempDir home_;
    std::map<std::string, std::string> tls_env_;
    std::map<std::string, std::string> extra_env_;
    std::string ca_file_;
    std::unique_ptr<test::Child> child_;
    std::string logs_;
};

// pcc's environment for a run on the recorded procroot, one tick a second.
inline std::map<std::string, std::string> pcc_env(const fs::path& work, int seconds) {
    return {{"PCC_PROCROOT", (test::source_dir() / "testdata" / "procroot-vm2cpu").string()},
            {"PCC_SUBSYSTEMS", kSubsystems},
            {"PCC_FREQUENCY", "1s"},
            {"PCC_DURATION", std::to_string(seconds) + "s"},
            {"PCC_IDENTIFIER", kIdentifier},
            {"PCC_COLLECTION", (work / "pcc.json").string()},
            {"PCC_SPOOL", (work / "spool").string()},
            {"PCC_LOGLEVEL", "info"}};
}

inline std::map<std::string, std::string> trickle_env(const fs::path& work, int seconds,
                                                      const std::string& url,
                                                      const std::string& key) {
    auto env = pcc_env(work, seconds);
    env["PCC_MODE"] = "trickle";
    env["PCC_SERVER_URL"] = url;
    env["PCC_APIKEY"] = key;
    return env;
}

inline std::unique_ptr<test::Child> start_pcc(const std::map<std::string, std::string>& env) {
    return std::make_unique<test::Child>(
        std::vector<std::string>{(test::bin_dir() / "pcc").string()}, env);
}

// Lines of a collection grouped into ticks (consecutive lines with the same timestamp).
struct TickLines {
    std::string timestamp;  // as written, e.g. "1700000000"
    std::vector<std::string> lines;
};

inline std::string timestamp_of(const std::string& line) {
    const std::string prefix = "{\"timestamp\":";
    if (line.rfind(prefix, 0) != 0) return "";
    const auto end = line.find(',', prefix.size());
    return end == std::string::npos ? "" : line.substr(prefix.size(), end - prefix.size());
}

inline std::vector<TickLines> split_ticks(const std::string& text) {
    std::vector<TickLines> ticks;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size() - 1;  // a last line without '\n' stays visible
        std::string line = text.substr(pos, end - pos + 1);
        pos = end + 1;
        const auto ts = timestamp_of(line);
        if (ticks.empty() || ticks.back().timestamp != ts) ticks.push_back({ts, {}});
        ticks.back().lines.push_back(std::move(line));
    }
    return ticks;
}

// What local mode writes for tick `index` of a run, at `timestamp`: the procroot does not change,
// so every tick after the first (the one with /proc/cpuinfo) has the same records.
inline std::string expected_tick(const std::vector<TickLines>& local, std::size_t index,
                                 const std::string& timestamp) {
    const auto& source = local.at(std::min<std::size_t>(index, 1));
    std::string out;
    for (const auto& line : source.lines) {
        const std::string prefix = "{\"timestamp\":" + source.timestamp + ",";
        out += "{\"timestamp\":" + timestamp + "," + line.substr(prefix.size());
    }
    return out;
}

// A local-mode collection of two ticks on the same procroot (the reference bytes).
inline std::vector<TickLines> local_reference(const fs::path& work) {
    fs::create_directories(work);
    auto env = pcc_env(work, 2);
    env["PCC_MODE"] = "local";
    const auto r = test::run({(test::bin_dir() / "pcc").string()}, env, 30s);
    if (r.exit_code != 0) {
        ADD_FAILURE() << "pcc local mode failed:\n" << r.err;
        return {};
    }
    return split_ticks(test::read_file(work / "pcc.json"));
}

// "collection complete: N ticks" / "stopped by signal after N of M ticks" from pcc's log.
inline std::optional<std::size_t> ticks_reported(const std::string& log) {
    for (const std::string needle : {"collection complete: ", "stopped by signal after "}) {
        const auto pos = log.find(needle);
        if (pos != std::string::npos)
            return std::strtoul(log.c_str() + pos + needle.size(), nullptr, 10);
    }
    return std::nullopt;
}

// The stored collection holds exactly `count` ticks, in order, each byte-equal to what local
// mode writes for the same records.
inline ::testing::AssertionResult stored_exactly(const std::string& stored,
                                                 const std::vector<TickLines>& local,
                                                 std::size_t count) {
    if (local.size() < 2)
        return ::testing::AssertionFailure() << "no local-mode reference collection";
    const auto ticks = split_ticks(stored);
    if (ticks.size() != count)
        return ::testing::AssertionFailure()
               << "stored " << ticks.size() << " ticks, pcc took " << count << "\n"
               << stored.substr(0, 2000);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        if (i > 0 && std::stoll(ticks[i].timestamp) <= std::stoll(ticks[i - 1].timestamp))
            return ::testing::AssertionFailure()
                   << "tick " << i << " out of order or doubled (timestamp " << ticks[i].timestamp
                   << ")";
        std::string got;
        for (const auto& line : ticks[i].lines) got += line;
        const auto want = expected_tick(local, i, ticks[i].timestamp);
        if (got != want)
            return ::testing::AssertionFailure()
                   << "tick " << i << " differs from local mode\n got: " << got.substr(0, 500)
                   << "\nwant: " << want.substr(0, 500);
    }
    return ::testing::AssertionSuccess();
}

}  // namespace pc::trickle_it
