// pcctl: administration and reference client for pcd. Subcommands live in src/ctl/.
#include <CLI/CLI.hpp>
#include <iostream>

#include "pc/core/cli.hpp"
#include "pc/ctl/app.hpp"

int main(int argc, char** argv) {
    CLI::App app{"pcctl: administration and reference client for pcd", "pcctl"};
    pc::core::use_help_style(app);
    pc::core::add_version_flag(app, "pcctl");
    pc::ctl::Cli cli(app);
    return pc::core::run_cli(app, argc, argv, "pcctl", [&] {
        return cli.run({std::cout, std::cerr});
    });
}
