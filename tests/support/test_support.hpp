// Helpers shared by every test executable: paths, temp dirs, files, child processes.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pc::test {

std::filesystem::path source_dir();
// Directory holding the built executables (build/bin).
std::filesystem::path bin_dir();
// ../shared beside the checkout, or $PC_SHARED_DIR. Empty when absent.
std::optional<std::filesystem::path> shared_dir();
// ../shared/testdata/golden, or nullopt when the shared data is absent.
std::optional<std::filesystem::path> golden_dir();

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// The entries of the "Options:" section of a CLI11 help text: each starts with a line
// "  -x,--name ..." and goes on over the more indented description lines.
std::vector<std::string> help_option_entries(const std::string& help);

// A port that was free a moment ago on 127.0.0.1 (the kernel picks it).
int pick_free_port();

struct ProcessResult {
    int exit_code = -1;   // exit status, or -1 when killed by a signal
    int term_signal = 0;  // signal number when killed
    bool timed_out = false;
    std::string out;
    std::string err;
};

// A child process with its own environment additions; stdout and stderr go to files in a
// temp dir so they can be read while it runs.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
          const std::optional<std::string>& stdin_data = std::nullopt);
    ~Child();  // kills the child if still running
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int pid() const { return pid_; }
    bool running();
    void signal(int sig);
    // Waits up to `timeout`; kills it with SIGKILL if still running then.
    ProcessResult wait(std::chrono::milliseconds timeout);
    std::string out_so_far() const;
    std::string err_so_far() const;
    // Polls stderr until it contains `needle` or the timeout passes.
    bool wait_for_err(const std::string& needle, std::chrono::milliseconds timeout) const;

private:
    // Once the child is gone: copies its stderr and the API keys it was given to the suite's
    // log archive (see log_archive_dir), for the secrets sweep.
    void archive();

    int pid_ = -1;
    bool reaped_ = false;
    bool archived_ = false;
    int status_ = 0;
    std::vector<std::string> argv_;
    std::map<std::string, std::string> env_;
    std::vector<std::string> spawn_keys_;  // the key files may be gone by the end
    TempDir io_;
};

// Where every Child leaves its stderr (<pid>.log) and the keys it was handed (<pid>.keys) for
// the end-of-suite secrets sweep (tests/sweep): <build>/test-logs, used only when it exists
// (ctest's fixture creates it; a test run by hand leaves nothing behind).
std::filesystem::path log_archive_dir();

// The API keys a child with this command line and environment knows: values of *APIKEY and
// *ADMINKEY variables, --apikey/--adminkey/--backend-apikey flag values, `apikey add` keys, and
// the keys in the key files of PCD_HOME / PCD_APIKEYS_FILE / PCD_ADMINKEYS_FILE (read now).
std::vector<std::string> keys_known_to(const std::vector<std::string>& argv,
                                       const std::map<std::string, std::string>& env);

// Runs to completion (bounded by timeout) and returns the result.
ProcessResult run(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(60),
                  const std::optional<std::string>& stdin_data = std::nullopt);

// gzip-compresses `data` (a whole gzip member) with zlib at `level` (-1 = zlib's default):
// request bodies for the servers under test, made independently of the library's compressor.
std::string gzip(const std::string& data, int level = -1);

}  // namespace pc::test
