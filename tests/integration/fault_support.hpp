// Shared by the fault, hostile-client and secrets integration tests: starting pcd with fresh
// keys and data, raw and HTTP exchanges on 127.0.0.1, RSS, gzip, iteration counts.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pc/api/trickle.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/collection_reader.hpp"
#include "test_support.hpp"

namespace pc::fault {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using pc::test::gzip;

// Iteration counts: CI runs `ci` (half under scripts/test-sanitizers); a soak run (PC_SOAK=1 ctest
// -R 'fault_|hostile_', see docs/reliability.md) runs `soak`. PC_FAULT_ITERATIONS overrides both.
inline int iterations(int ci, int soak) {
    if (const char* v = std::getenv("PC_FAULT_ITERATIONS")) return std::max(1, std::atoi(v));
    if (const char* v = std::getenv("PC_SOAK"); v && *v && std::string(v) != "0") return soak;
    // scripts/test-sanitizers: the full count already ran in the normal build; the sanitized
    // binaries are several times slower, so half keeps the run within its time bound.
    if (std::getenv("PC_TEST_SANITIZED")) return std::max(1, ci / 2);
    return ci;
}

// A reproducible random source: PC_FAULT_SEED, or a fresh seed that is printed.
inline std::mt19937_64 make_rng() {
    std::uint64_t seed = 0;
    if (const char* v = std::getenv("PC_FAULT_SEED")) {
        seed = std::strtoull(v, nullptr, 10);
    } else {
        seed = std::random_device{}();
    }
    std::cout << "[fault] random seed " << seed << " (set PC_FAULT_SEED to repeat)\n";
    return std::mt19937_64(seed);
}

inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds step = 50ms) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

// Resident set size of a process in KiB (0 when it is gone).
inline long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return 0;
}

// A TCP connection to 127.0.0.1:port (blocking, -1 on failure).
inline int connect_local(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads until the peer closes, `timeout` passes, or (when `one_response`) a complete HTTP
// response with Content-Length has arrived.
inline std::string read_response(int fd, std::chrono::milliseconds timeout,
                                 bool one_response = true) {
    std::string got;
    auto deadline = Clock::now() + timeout;
    char buf[8192];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
        if (one_response) {
            auto end = got.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            auto cl = got.find("Content-Length: ");
            if (cl == std::string::npos) cl = got.find("content-length: ");
            if (cl == std::string::npos || cl > end) break;
            std::size_t len = std::strtoul(got.c_str() + cl + 16, nullptr, 10);
            if (got.size() >= end + 4 + len) break;
        }
    }
    return got;
}

// Sends raw bytes on a fresh connection and returns whatever comes back (maybe nothing).
inline std::string raw_exchange(int port, std::string_view request,
                                std::chrono::milliseconds timeout = 10s) {
    int fd = connect_local(port);
    if (fd < 0) return "<connect failed>";
    send_all(fd, request);
    auto got = read_response(fd, timeout);
    ::close(fd);
    return got;
}

// HTTP status of a raw response, 0 when there is none (connection closed without answer).
inline int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
    return std::atoi(response.c_str() + 9);
}

inline std::string http_request(std::string_view method, std::string_view target,
                                const std::map<std::string, std::string>& headers,
                                std::string_view body) {
    std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
    r += "Host: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [k, v] : headers) r += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST") {
        r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    r += "\r\n";
    r += body;
    return r;
}

// One trickle POST; returns the raw response.
inline std::string post_trickle(int port, const std::string& key, std::string_view body,
                                bool gzipped = false, std::chrono::milliseconds timeout = 15s) {
    std::map<std::string, std::string> h{{"apikey", key}, {"Content-Type", "application/json"}};
    if (gzipped) h["Content-Encoding"] = "gzip";
    return raw_exchange(port, http_request("POST", "/v1/trickle", h, body), timeout);
}

// A tick of the usual subsystems with recognisable measurements.
inline pc::record::Tick make_tick(std::int64_t timestamp, std::size_t measurement_bytes = 64) {
    pc::record::Tick t;
    for (const char* sub : {"/proc/stat", "/proc/meminfo", "/proc/net/dev", "/proc/diskstats"}) {
        std::string m = std::string(sub) + " at " + std::to_string(timestamp) + "\n";
        m.resize(std::max(m.size(), measurement_bytes), 'x');
        t.push_back(pc::record::Record{timestamp, sub, m});
    }
    return t;
}

inline std::string trickle_body(const std::string& identifier, const pc::record::Tick& tick,
                                std::optional<std::string> batch_id = std::nullopt) {
    return api::encode_trickle_request(api::TrickleRequest{identifier, tick, std::move(batch_id)});
}

// What a stored collection holds: decoded records, and problems found while reading.
struct StoredCollection {
    std::vector<pc::record::Record> records;
    std::size_t malformed = 0;
    std::size_t truncated = 0;
};

inline StoredCollection read_collection(const fs::path& path) {
    StoredCollection c;
    if (!fs::exists(path)) return c;
    pc::record::CollectionReader reader(path.string());
    pc::record::ReadItem item;
    while (reader.next(item)) {
        if (item.status == pc::record::LineStatus::ok) c.records.push_back(item.record);
        if (item.status == pc::record::LineStatus::malformed) ++c.malformed;
        if (item.status == pc::record::LineStatus::truncated) ++c.truncated;
    }
    return c;
}

// Every file under `dir` with its size: "nothing stored" means this did not change.
inline std::map<std::string, std::uintmax_t> snapshot(const fs::path& dir) {
    std::map<std::string, std::uintmax_t> files;
    if (!fs::exists(dir)) return files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) files[e.path().lexically_relative(dir).string()] = e.file_size();
    }
    return files;
}

// pcd on an ephemeral port with a fresh home, one agent key and one admin key.
class Pcd {
public:
    explicit Pcd(std::map<std::string, std::string> extra_env = {},
                 std::vector<std::string> prefix = {})
        : extra_env_(std::move(extra_env)), prefix_(std::move(prefix)) {
        agent_key = "agentkey-" + pc::keys::generate_api_key();
        admin_key = "adminkey-" + pc::keys::generate_api_key();
        pc::keys::write_key_file(home_.path() / "apikeys", {agent_key});
        pc::keys::write_key_file(home_.path() / "adminkeys", {admin_key});
        fs::create_directories(data_dir());
        port = test::pick_free_port();
    }
    ~Pcd() { capture(); }

    fs::path home() const { return home_.path(); }
    fs::path data_dir() const { return home_.path() / "data"; }
    fs::path file_for(const std::string& id) const { return data_dir() / (id + ".json"); }

    std::map<std::string, std::string> env() const {
        std::map<std::string, std::string> e{
            {"PCD_LISTENADDRESS", "127.0.0.1:" + std::to_string(port)},
            {"PCD_HOME", home_.path().string()},
            {"PCD_DATADIR", data_dir().string()},
            {"PCD_APIKEYS_FILE", (home_.path() / "apikeys").string()},
            {"PCD_ADMINKEYS_FILE", (home_.path() / "adminkeys").string()},
            {"PCD_LOGLEVEL", "debug"}};
        for (const auto& [k, v] : extra_env_) e[k] = v;
        return e;
    }

    // Starts pcd and waits until it answers /health. False when it does not come up.
    bool start(std::chrono::milliseconds timeout = 15s) {
        capture();
        std::vector<std::string> argv = prefix_;
        argv.push_back((test::bin_dir() / "pcd").string());
        child_ = std::make_unique<test::Child>(argv, env());
        return wait_until(
                   [&] {
                       if (!child_->running()) return true;
                       return status_of(raw_exchange(port, http_request("GET", "/health", {}, ""),
                                                     2s)) == 200;
                   },
                   timeout, 100ms) &&
               child_->running();
    }

    bool running() { return child_ && child_->running(); }
    int pid() const { return child_ ? child_->pid() : -1; }
    void kill_now() {
        if (!child_) return;
        child_->signal(SIGKILL);
        child_->wait(10s);
    }
    test::ProcessResult stop(std::chrono::milliseconds timeout = 20s) {
        child_->signal(SIGTERM);
        auto r = child_->wait(timeout);
        logs += r.err + r.out;
        child_.reset();
        return r;
    }
    std::string err_so_far() const { return child_ ? child_->err_so_far() : std::string(); }
    // Every log line of every pcd run so far (the secrets test greps them).
    std::string all_logs() const {
        return logs + (child_ ? child_->err_so_far() + child_->out_so_far() : "");
    }

    bool serves_ok(const std::string& identifier, std::int64_t timestamp) {
        return status_of(post_trickle(port, agent_key,
                                      trickle_body(identifier, make_tick(timestamp)))) == 200;
    }

    std::string agent_key;
    std::string admin_key;
    int port = 0;
    std::string logs;

private:
    void capture() {
        if (child_) {
            logs += child_->err_so_far() + child_->out_so_far();
            child_.reset();
        }
    }
    test::TempDir home_;
    std::map<std::string, std::string> extra_env_;
    std::vector<std::string> prefix_;
    std::unique_ptr<test::Child> child_;
};

}  // namespace pc::fault
