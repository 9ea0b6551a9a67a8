// What every binary's main() shares: --version, error reporting and exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>

namespace pc::core {

// Adds --version printing version_line(program).
void add_version_flag(CLI::App& app, std::string_view program);

// Parses argv and runs `body`. A CLI11 parse error or --help/--version is handled as CLI11 does;
// a UserError is printed as "<program>: <message>" and gives exit status 1; any other exception
// is printed the same way with status 1. Returns the exit status.
int run_cli(CLI::App& app, int argc, char** argv, std::string_view program,
            const std::function<int()>& body);

}  // namespace pc::core
