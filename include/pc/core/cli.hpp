// What every CLI11 binary's main() shares: --version, one help style, usage errors as one line
// with exit status 2, runtime errors with 1.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace pc::core {

// Adds --version printing version_line(program).
void add_version_flag(CLI::App& app, std::string_view program);

// The help style of all four programs: every option once as "--flag TEXT=<default>
// (Env:VARIABLE)", and a subcommand's help lists its parent's options too (pcctl's global
// options are accepted after the subcommand). Call before adding subcommands.
void use_help_style(CLI::App& app);

// How the user set `flag` of `app`, for messages: the flag when it was on the command line,
// else its environment variable (also when neither was given).
std::string given_name(const CLI::App& app, const std::string& flag);

// A CLI11 parse error as one line without the "prog: " prefix: what was given, named as the
// user wrote it (the flag, or the variable when the value came from the environment), and the
// valid form. `args` are argv[1..].
std::string usage_error_line(const CLI::App& app, const CLI::ParseError& error,
                             const std::vector<std::string>& args);

// Parses argv and runs `body`. --help/--version print and exit 0; a parse error prints one
// "<program>: ..." line (usage_error_line) and gives 2; a UsageError in `body` gives 2, a
// UserError or any other exception 1 (run_reporting_errors). Returns the exit status.
int run_cli(CLI::App& app, int argc, char** argv, std::string_view program,
            const std::function<int()>& body);

}  // namespace pc::core
