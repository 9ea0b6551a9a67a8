// pcprocess: Turns a perfcollector collection into sar-style CSV files.
#include <CLI/CLI.hpp>

#include "pc/core/cli.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Turns a perfcollector collection into sar-style CSV files"};
    pc::add_version_flag(app, "pcprocess");
    return pc::run_cli(app, argc, argv, "pcprocess", [] { return 0; });
}
