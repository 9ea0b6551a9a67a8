#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace pc::test {

fs::path source_dir() {
    return PC_SOURCE_DIR;
}
fs::path bin_dir() {
    return fs::path(PC_BINARY_DIR) / "bin";
}

std::optional<fs::path> shared_dir() {
    const char* env = std::getenv("PC_SHARED_DIR");
    fs::path p = env && *env ? fs::path(env) : fs::path(PC_DEFAULT_SHARED_DIR);
    if (fs::is_directory(p)) return p;
    return std::nullopt;
}

std::optional<fs::path> golden_dir() {
    auto s = shared_dir();
    if (!s) return std::nullopt;
    auto g = *s / "testdata" / "golden";
    if (fs::is_directory(g)) return g;
    return std::nullopt;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& p, const std::string& content) {
    if (p.has_parent_path()) fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + p.string());
    out << content;
}

TempDir::TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = fs::temp_directory_path() / ("pctest-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temp directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::vector<std::string> help_option_entries(const std::string& help) {
    std::vector<std::string> entries;
    std::istringstream in(help);
    std::string line;
    bool in_options = false;
    while (std::getline(in, line)) {
        if (line == "Options:") {
            in_options = true;
            continue;
        }
        if (!in_options) continue;
        if (line.empty() || line[0] != ' ') {
            in_options = false;
            continue;
        }
        if (line.rfind("  -", 0) == 0) {
            entries.push_back(line);
        } else if (!entries.empty()) {
            entries.back() += "\n" + line;
        }
    }
    return entries;
}

int pick_free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("bind failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

fs::path log_archive_dir() {
    return fs::path(PC_BINARY_DIR) / "test-logs";
}

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void add_key_file_lines(const fs::path& file, std::vector<std::string>& keys) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] != '#') keys.push_back(line);
    }
}

}  // namespace

std::vector<std::string> keys_known_to(const std::vector<std::string>& argv,
                                       const std::map<std::string, std::string>& env) {
    std::vector<std::string> keys;
    for (const auto& [name, value] : env)
        if (ends_with(name, "APIKEY") || ends_with(name, "ADMINKEY")) keys.push_back(value);
    for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--apikey" || a == "--adminkey" || a == "--backend-apikey" ||
            (a == "add" && i > 0 && argv[i - 1] == "apikey"))
            keys.push_back(argv[i + 1]);
        for (const char* flag : {"--apikey=", "--adminkey=", "--backend-apikey="})
            if (a.rfind(flag, 0) == 0) keys.push_back(a.substr(std::string(flag).size()));
    }
    std::vector<fs::path> files;
    if (auto it = env.find("PCD_HOME"); it != env.end()) {
        files.push_back(fs::path(it->second) / "apikeys");
        files.push_back(fs::path(it->second) / "adminkeys");
    }
    for (const char* name : {"PCD_APIKEYS_FILE", "PCD_ADMINKEYS_FILE"})
        if (auto it = env.find(name); it != env.end()) files.emplace_back(it->second);
    for (const auto& f : files) add_key_file_lines(f, keys);
    return keys;
}

void Child::archive() {
    if (archived_) return;
    archived_ = true;
    std::error_code ec;
    const auto dir = log_archive_dir();
    if (!fs::is_directory(dir, ec)) return;
    const std::string stem = std::to_string(::getpid()) + "-" + std::to_string(pid_);
    std::ofstream log(dir / (stem + ".log"), std::ios::binary);
    log << "# " << (argv_.empty() ? std::string("?") : argv_[0]) << "\n" << err_so_far();
    std::ofstream keys(dir / (stem + ".keys"), std::ios::binary);
    for (const auto& k : spawn_keys_) keys << k << "\n";
    for (const auto& k : keys_known_to(argv_, env_)) keys << k << "\n";  // added since
}

namespace {

// The environment of the child: ours with `overrides` applied, as "KEY=value" strings.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) {
        std::string_view entry(*e);
        const auto eq = entry.find('=');
        const std::string key(entry.substr(0, eq));
        if (!overrides.count(key)) out.emplace_back(entry);
    }
    for (const auto& [k, v] : overrides) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> c_pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string first_line_of(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    return line;
}

// What a child that ran out of time was doing, for the failure message: whether it had
// exec'd, its state, the syscall it sits in, its kernel stack and open files, and (when gdb is
// installed) a backtrace of every thread.
std::string describe_stuck_process(int pid, const std::string& argv0) {
    const fs::path proc = fs::path("/proc") / std::to_string(pid);
    std::ostringstream d;
    std::error_code ec;
    d << "\n[test harness] " << argv0 << " (pid " << pid << ") did not finish in time\n";
    d << "  exe: " << fs::read_symlink(proc / "exe", ec).string() << "\n";
    std::ifstream status(proc / "status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("State:", 0) == 0 || line.rfind("Threads:", 0) == 0)
            d << "  " << line << "\n";
    }
    d << "  wchan: " << first_line_of(proc / "wchan") << "\n";
    d << "  syscall: " << first_line_of(proc / "syscall") << "\n";
    std::ifstream stack(proc / "stack");
    for (std::string line; std::getline(stack, line);) d << "  kernel: " << line << "\n";
    for (const auto& fd : fs::directory_iterator(proc / "fd", ec)) {
        d << "  fd " << fd.path().filename().string() << " -> "
          << fs::read_symlink(fd.path(), ec).string() << "\n";
    }
    const std::string bt =
        (fs::temp_directory_path() / ("pc-hang-" + std::to_string(pid))).string();
    const std::string gdb = "command -v gdb >/dev/null && timeout 20 gdb -p " +
                            std::to_string(pid) + " -batch -ex 'thread apply all bt' >" + bt +
                            " 2>&1";
    if (std::system(gdb.c_str()) == 0) {
        std::ifstream in(bt);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("#", 0) == 0 || line.rfind("Thread", 0) == 0)
                d << "  gdb: " << line << "\n";
        }
    }
    fs::remove(bt, ec);
    return d.str();
}

}  // namespace

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::optional<std::string>& stdin_data)
    : argv_(argv), env_(env), spawn_keys_(keys_known_to(argv, env)) {
    const std::string out_path = (io_.path() / "stdout").string();
    const std::string err_path = (io_.path() / "stderr").string();
    const std::string in_path = (io_.path() / "stdin").string();
    write_file(in_path, stdin_data.value_or(""));
    // posix_spawn, not fork + exec: the test process has threads (servers inside the test), and
    // glibc's posix_spawn is built for that (no copy of another thread's held locks). The child
    // gets only its three files, not the test's sockets and pipes.
    std::vector<std::string> args_storage = argv;
    std::vector<std::string> env_storage = child_environment(env);
    std::vector<char*> args = c_pointers(args_storage);
    std::vector<char*> envp = c_pointers(env_storage);
    posix_spawn_file_actions_t files;
    ::posix_spawn_file_actions_init(&files);
    ::posix_spawn_file_actions_addopen(&files, 0, in_path.c_str(), O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                       0600);
    ::posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                       0600);
    ::posix_spawn_file_actions_addclosefrom_np(&files, 3);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, args[0], &files, nullptr, args.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&files);
    if (rc != 0)
        throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(rc));
    pid_ = pid;
}

Child::~Child() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
    try {
        if (pid_ > 0) archive();
    } catch (...) {
        // The archive only feeds the sweep; a failure to write it must not end the test.
    }
}

bool Child::running() {
    if (reaped_) return false;
    int r = ::waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        return false;
    }
    return true;
}

void Child::signal(int sig) {
    if (!reaped_) ::kill(pid_, sig);
}

ProcessResult Child::wait(std::chrono::milliseconds timeout) {
    ProcessResult result;
    std::string hang_report;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            result.timed_out = true;
            hang_report = describe_stuck_process(pid_, argv_.empty() ? "?" : argv_[0]);
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status_, 0);
            reaped_ = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) result.term_signal = WTERMSIG(status_);
    result.out = out_so_far();
    result.err = err_so_far() + hang_report;
    return result;
}

// The child opens its output files itself (posix_spawn file actions); a file may be missing if
// the test removed the scratch directory.
static std::string read_output(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::exists(p, ec) ? read_file(p) : std::string();
}

std::string Child::out_so_far() const {
    return read_output(io_.path() / "stdout");
}
std::string Child::err_so_far() const {
    return read_output(io_.path() / "stderr");
}

bool Child::wait_for_err(const std::string& needle, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (err_so_far().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return err_so_far().find(needle) != std::string::npos;
}

ProcessResult run(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout,
                  const std::optional<std::string>& stdin_data) {
    Child child(argv, env, stdin_data);
    return child.wait(timeout);
}

std::string gzip(const std::string& data, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
    return out;
}

}  // namespace pc::test
