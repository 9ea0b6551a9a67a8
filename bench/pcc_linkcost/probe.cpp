// Link-cost probe for bench/pcc_linkcost.py: what a pcc-like tick loop costs in RSS depending on
// which libraries are linked and how. Reads /proc/stat etc. a few times, escapes into a string,
// appends to a file, optionally logs with spdlog and optionally references httplib (linked but,
// as in pcc's local mode, never used unless PROBE_HTTP_USE is set at run time).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#ifdef PROBE_SPDLOG
#include <spdlog/spdlog.h>
#endif
#ifdef PROBE_HTTPLIB
#include <httplib.h>
#endif

namespace {

std::string read_file(const char* path) {
    std::string out;
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return out;
}

void escape_into(std::string& out, const std::string& in) {
    for (char c : in) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int ticks = argc > 1 ? std::atoi(argv[1]) : 5;
    const char* path = argc > 2 ? argv[2] : "/dev/null";
#ifdef PROBE_SPDLOG
    spdlog::info("probe starting: {} ticks", ticks);
#endif
#ifdef PROBE_HTTPLIB
    if (std::getenv("PROBE_HTTP_USE") != nullptr) {
        httplib::Client client("http://127.0.0.1:9");
        client.set_connection_timeout(0, 200000);
        auto res = client.Get("/v1/ping");
        std::printf("http: %s\n", res ? "answered" : "no answer");
    }
#endif
    int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    for (int t = 0; t < ticks; ++t) {
        std::string tick;
        for (const char* src : {"/proc/stat", "/proc/meminfo", "/proc/net/dev", "/proc/diskstats"}) {
            tick += "{\"measurement\":\"";
            escape_into(tick, read_file(src));
            tick += "\"}\n";
        }
        if (fd >= 0 && ::write(fd, tick.data(), tick.size()) < 0) return 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (fd >= 0) ::close(fd);
    return 0;
}
