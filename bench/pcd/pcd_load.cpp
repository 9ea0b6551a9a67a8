// Load generator for pcd: many concurrent keep-alive clients, each posting one-tick trickle
// batches of pcc's default subsystems (one real tick, about 5 KB here) with a batch_id, as
// fast as pcd acknowledges them. Starts its own pcd (temporary PCD_HOME, 127.0.0.1:0, one API
// key per client) unless --port is given.
// Prints "name value unit" lines: requests/s, records/s, MB/s, p50/p99 latency, pcd peak RSS.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pc/api/trickle.hpp"
#include "pc/collect/sampler.hpp"
#include "pc/collect/subsystems.hpp"
#include "pc/keys/key_file.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// One real tick of pcc's default subsystems (stat, meminfo, net/dev, diskstats, statfs[*]),
// read by pcc's own sampler from `procroot` and this machine's mounts.
std::vector<pc::record::Record> sample_tick(const std::string& procroot, std::int64_t ts) {
    pc::collect::SamplerOptions options;
    options.procroot = procroot;
    options.subsystems = pc::collect::default_subsystems();
    pc::collect::Sampler sampler(options);
    return sampler.sample(ts, false);
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::uint64_t peak_rss_kib(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"pcd load generator: concurrent keep-alive clients posting one-tick batches"};
    std::string pcd = (std::filesystem::path(argv[0]).parent_path() / "pcd").string();
    int clients = 100;
    double seconds = 10;
    std::string procroot = "/proc";
    int port = 0;
    std::string key;
    std::string datadir;
    int pcd_threads = 0;
    app.add_option("--pcd", pcd, "pcd binary to start (default: beside this program)");
    app.add_option("--clients", clients, "Concurrent keep-alive clients (default 100)");
    app.add_option("--seconds", seconds, "Measurement duration (default 10)");
    app.add_option("--procroot", procroot,
                   "Where the tick's /proc files are read (default /proc; e.g. a bench/ tree)");
    app.add_option("--port", port, "Use a pcd already listening on 127.0.0.1:PORT");
    app.add_option("--key", key, "API key for --port");
    app.add_option("--datadir", datadir, "PCD_DATADIR for the started pcd (default: temp)");
    app.add_option("--threads", pcd_threads, "PCD_THREADS for the started pcd (default: pcd's)");
    CLI11_PARSE(app, argc, argv);

    std::filesystem::path home;
    pid_t pid = -1;
    std::vector<std::string> keys;
    if (port == 0) {
        home = std::filesystem::temp_directory_path() / ("pcd-load-" + std::to_string(::getpid()));
        std::filesystem::create_directories(home);
        for (int i = 0; i < clients; ++i) keys.push_back(pc::keys::generate_api_key());
        pc::keys::write_key_file(home / "apikeys", keys);
        // pcd's own worker count (its front end parks idle connections, so it does not need a
        // thread per client) unless --threads says otherwise.
        std::vector<std::string> env_strings = {"PCD_HOME=" + home.string(),
                                                "PCD_LISTENADDRESS=127.0.0.1:0", "PCD_RATELIMIT=0"};
        if (pcd_threads > 0) env_strings.push_back("PCD_THREADS=" + std::to_string(pcd_threads));
        if (!datadir.empty()) env_strings.push_back("PCD_DATADIR=" + datadir);
        std::vector<char*> envp;
        for (auto& s : env_strings) envp.push_back(s.data());
        for (char** e = environ; *e; ++e) envp.push_back(*e);
        envp.push_back(nullptr);
        std::string log = (home / "pcd.log").string();
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args = {pcd.data(), nullptr};
        if (posix_spawn(&pid, pcd.c_str(), &fa, nullptr, args.data(), envp.data()) != 0) {
            std::cerr << "pcd_load: cannot start " << pcd << "\n";
            return 1;
        }
        std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
        for (int i = 0; i < 200 && port == 0; ++i) {
            std::smatch m;
            std::string text = read_text(log);
            if (std::regex_search(text, m, listening)) port = std::stoi(m[1]);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (port == 0) {
            std::cerr << "pcd_load: pcd did not start:\n" << read_text(log);
            kill(pid, SIGKILL);
            return 1;
        }
    } else {
        keys.assign(static_cast<std::size_t>(clients), key);
    }

    std::atomic<bool> measuring{false};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> errors{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
    std::vector<std::uint64_t> records(static_cast<std::size_t>(clients));
    std::vector<std::uint64_t> bytes(static_cast<std::size_t>(clients));
    const std::int64_t first_ts = 1700000000;
    const auto tick = sample_tick(procroot, first_ts);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            httplib::Client cli("127.0.0.1", port);
            cli.set_keep_alive(true);
            cli.set_tcp_nodelay(true);
            cli.set_read_timeout(30, 0);
            httplib::Headers headers = {{"apikey", keys[static_cast<std::size_t>(c)]}};
            // The body is encoded once and only its batch_id and timestamps change per request,
            // so that the generator spends its share of the two cores on requests, not on JSON.
            const std::string id = "bench-" + std::to_string(c);
            std::string measurements = pc::api::encode_trickle_request({id, tick, std::nullopt});
            measurements.erase(0, measurements.find(",\"measurements\":"));
            const std::string ts_text = "\"timestamp\":" + std::to_string(first_ts);
            std::vector<std::size_t> ts_at;
            for (auto at = measurements.find(ts_text); at != std::string::npos;
                 at = measurements.find(ts_text, at + 1)) {
                ts_at.push_back(at + ts_text.size() - 10);
            }
            std::uint64_t seq = 0;
            while (!stop) {
                const std::string ts = std::to_string(first_ts + static_cast<std::int64_t>(seq));
                for (auto at : ts_at) measurements.replace(at, 10, ts);
                std::string payload = "{\"identifier\":\"" + id + "\",\"batch_id\":\"" + id + "-" +
                                      std::to_string(seq) + "\"" + measurements;
                ++seq;
                auto t0 = Clock::now();
                auto res = cli.Post("/v1/trickle", headers, payload, "application/json");
                double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                if (!res || res->status != 200) {
                    if (errors++ < 5) {
                        std::fprintf(stderr, "pcd_load: client %d: %s\n", c,
                                     res ? (std::to_string(res->status) + " " + res->body).c_str()
                                         : httplib::to_string(res.error()).c_str());
                    }
                    continue;
                }
                if (measuring) {
                    latencies[static_cast<std::size_t>(c)].push_back(ms);
                    records[static_cast<std::size_t>(c)] += tick.size();
                    bytes[static_cast<std::size_t>(c)] += payload.size();
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up: connections, files
    measuring = true;
    auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    measuring = false;
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    stop = true;
    for (auto& t : threads) t.join();

    std::vector<double> all;
    std::uint64_t total_records = 0;
    std::uint64_t total_bytes = 0;
    for (int c = 0; c < clients; ++c) {
        all.insert(all.end(), latencies[static_cast<std::size_t>(c)].begin(),
                   latencies[static_cast<std::size_t>(c)].end());
        total_records += records[static_cast<std::size_t>(c)];
        total_bytes += bytes[static_cast<std::size_t>(c)];
    }
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) {
        return all.empty()
                   ? 0.0
                   : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
    };
    std::printf("clients %d count\n", clients);
    std::printf("records_per_request %zu count\n", tick.size());
    if (!all.empty())
        std::printf("request_bytes %.0f bytes\n", static_cast<double>(total_bytes) / all.size());
    std::printf("requests_per_second %.0f req/s\n", all.size() / elapsed);
    std::printf("records_per_second %.0f records/s\n", total_records / elapsed);
    std::printf("throughput %.1f MB/s\n", total_bytes / elapsed / 1e6);
    std::printf("latency_p50 %.2f ms\n", pct(0.50));
    std::printf("latency_p99 %.2f ms\n", pct(0.99));
    std::printf("errors %llu count\n", static_cast<unsigned long long>(errors.load()));
    if (pid > 0) {
        std::printf("pcd_peak_rss %.1f MiB\n", peak_rss_kib(pid) / 1024.0);
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
        std::error_code ec;
        std::filesystem::remove_all(home, ec);
    }
    return 0;
}
