// pcc's command line: string options that are each also an environment variable (the flag
// wins), plus --help and --version. pcd, pcprocess and pcctl use CLI11; pcc cannot: CLI11
// brings iostreams, and with the static C++ runtime that pcc's memory budget needs, iostreams
// bring every locale facet (about 550 kB of a 1.3 MB binary and most of its excess resident
// memory; docs/performance.md). Help layout, messages and exit codes are CLI11's, so the four
// programs read and fail alike.
#pragma once

#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pc::core {

class FlagParser {
public:
    // Every command-line mistake (unexpected argument, missing or repeated value).
    static constexpr int kExitUsage = 2;

    using Getenv = std::function<const char*(const char*)>;

    explicit FlagParser(std::string description);

    void set_version(std::string version_line) { version_line_ = std::move(version_line); }

    // `--flag VALUE` or `--flag=VALUE` sets `value`; otherwise a non-empty `env` variable does;
    // otherwise `value` keeps what it holds. `shown_default` is printed in --help as
    // "TEXT=<shown_default>".
    void add(std::string flag, std::string& value, std::string env, std::string help,
             std::string shown_default);

    struct Outcome {
        bool run = false;  // false: exit now with exit_code, after printing out and err
        int exit_code = 0;
        std::string out;  // for stdout (--help, --version)
        std::string err;  // a usage error: one line, without the "prog: " prefix
    };
    // argv[0] is the program path shown in the usage line.
    Outcome parse(int argc, const char* const* argv, const Getenv& getenv = ::getenv);

    // Whether the option got a value from its flag or its variable in the last parse.
    bool given(std::string_view flag) const;
    // What the user wrote to set the option, for messages: the flag when it came from the
    // command line, else its variable (also when neither was given: the default).
    std::string name(std::string_view flag) const;
    // The valid form in that same spelling: "--frequency 10s" or "PCC_FREQUENCY=10s".
    std::string example(std::string_view flag, std::string_view value) const;

    std::string help(std::string_view program_path) const;

private:
    struct Option {
        std::string flag;
        std::string* value;
        std::string env;
        std::string help;
        std::string shown_default;
        int count = 0;
        bool given = false;
        bool from_flag = false;
    };
    std::size_t index_of(std::string_view flag) const;  // options_.size() when unknown
    Option* find(std::string_view flag);

    std::string description_;
    std::string version_line_;
    std::vector<Option> options_;
};

// Parses with `flags`, prints what the parse produced, and runs `body` when it should run:
// the same contract as run_cli (pc/core/cli.hpp) for a program without CLI11.
int run_flag_cli(FlagParser& flags, int argc, char** argv, std::string_view program,
                 const std::function<int()>& body);

}  // namespace pc::core
