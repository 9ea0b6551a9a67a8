// What every pcctl subcommand shares: the global options and how a subcommand is registered.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pc::ctl {

// Options accepted before or after the subcommand name (CLI11 fallthrough).
struct GlobalOptions {
    std::string server = "http://localhost:8080";  // --server / PCC_SERVER_URL
    std::string cafile;                            // --cafile / PCC_CAFILE
    std::string adminkey;                          // --adminkey / PCCTL_ADMINKEY
    std::string apikey;                            // --apikey / PCC_APIKEY
    bool json = false;                             // --json
    std::string home;                              // --home / PCD_HOME; empty: default_home()
    bool admin = false;                            // --admin: the admin key file
    std::string loglevel = "warn";                 // --loglevel / PCCTL_LOGLEVEL
    std::string timeout = "10s";                   // --timeout / PCCTL_TIMEOUT, per request
    // For a flag ("--server"), what the user wrote to set it: the flag or its variable
    // (core::given_name), so that messages name it. Empty: the variable.
    std::function<std::string(const std::string& flag)> name_of;
};

// Where a subcommand writes: results on `out`, notes and guidance on `err`.
struct Streams {
    std::ostream& out;
    std::ostream& err;
};

// Runs a parsed subcommand; returns the exit status. Throws UserError for one-line failures.
using Action = std::function<int(Streams)>;

// The leaf subcommands and their actions, in registration order.
class ActionTable {
public:
    void add(CLI::App* command, Action action) {
        entries_.emplace_back(command, std::move(action));
    }
    // The action of the subcommand that was parsed, or nullptr.
    const Action* parsed() const;

private:
    std::vector<std::pair<CLI::App*, Action>> entries_;
};

// "~" and "~/..." expanded with $HOME.
std::filesystem::path expand_home(const std::string& path);

// A Go duration ("90s", "1m30s") or a bare number of seconds ("60"); UserError naming
// `variable` when malformed or negative.
std::chrono::milliseconds parse_duration_setting(const std::string& text,
                                                 std::string_view variable);

}  // namespace pc::ctl
