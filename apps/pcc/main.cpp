// pcc: perfcollector agent: samples /proc into a collection or trickles it to pcd.
#include <CLI/CLI.hpp>

#include "pc/collect/pcc_config.hpp"
#include "pc/collect/pcc_run.hpp"
#include "pc/core/cli.hpp"

int main(int argc, char** argv) {
    CLI::App app{
        "perfcollector agent: samples /proc into a collection or trickles it to pcd.\n"
        "Every setting is an environment variable and also a flag; the flag wins."};
    pc::add_version_flag(app, "pcc");
    pc::collect::PccOptions options(app);
    return pc::run_cli(app, argc, argv, "pcc",
                       [&] { return pc::collect::run_pcc(options.resolve()); });
}
