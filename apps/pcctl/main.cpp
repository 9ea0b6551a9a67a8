// pcctl: Administration and reference client for pcd.
#include <CLI/CLI.hpp>

#include "pc/core/cli.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Administration and reference client for pcd"};
    pc::add_version_flag(app, "pcctl");
    return pc::run_cli(app, argc, argv, "pcctl", [] { return 0; });
}
