// pcc: perfcollector agent: samples /proc into a collection or trickles it to pcd.
#include <CLI/CLI.hpp>

#include "pc/core/cli.hpp"

int main(int argc, char** argv) {
    CLI::App app{"perfcollector agent: samples /proc into a collection or trickles it to pcd"};
    pc::add_version_flag(app, "pcc");
    return pc::run_cli(app, argc, argv, "pcc", [] { return 0; });
}
