// pcd: perfcollector daemon: receives trickled measurements and stores them.
#include <CLI/CLI.hpp>

#include "pc/core/cli.hpp"
#include "pc/server/config.hpp"
#include "pc/server/daemon.hpp"

int main(int argc, char** argv) {
    CLI::App app{"perfcollector daemon: receives trickled measurements and stores them"};
    pc::core::use_help_style(app);
    pc::core::add_version_flag(app, "pcd");
    pc::server::PcdOptions options;
    pc::server::add_pcd_options(app, options);
    return pc::core::run_cli(app, argc, argv, "pcd", [&] {
        return pc::server::run_daemon(
            options, [&](const std::string& f) { return pc::core::given_name(app, f); });
    });
}
