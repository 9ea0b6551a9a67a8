// pcd: perfcollector daemon: receives trickled measurements and stores them.
#include <CLI/CLI.hpp>

#include "pc/core/cli.hpp"

int main(int argc, char** argv) {
    CLI::App app{"perfcollector daemon: receives trickled measurements and stores them"};
    pc::add_version_flag(app, "pcd");
    return pc::run_cli(app, argc, argv, "pcd", [] { return 0; });
}
