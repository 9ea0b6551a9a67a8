#include "pc/agent/pcc_main.hpp"

#include <string_view>

#include "pc/agent/pcc_config.hpp"
#include "pc/agent/pcc_run.hpp"
#include "pc/core/flag_parser.hpp"
#include "pc/core/version.hpp"

namespace pc::agent {

int pcc_main(int argc, char** argv) {
    // The package installs pcc-container-linux as a link to pcc: the name picks the behaviour.
    std::string_view program = argc > 0 ? argv[0] : "pcc";
    program = program.substr(program.rfind('/') + 1);
    const bool cc = program == kContainerCollectorName;
    const char* name = cc ? "pcc-container-linux" : "pcc";
    core::FlagParser flags(
        cc ? "perfcollector container collector (pcc started as pcc-container-linux): samples "
             "every container's cgroup into a collection, first sample at the start.\n"
             "Every setting is an environment variable and also a flag; the flag wins."
           : "perfcollector agent: samples /proc into a collection or trickles it to pcd.\n"
             "Every setting is an environment variable and also a flag; the flag wins.");
    flags.set_version(core::version_line(name));
    PccOptions options(flags, "/etc/machine-id",
                       cc ? PccVariant::container_collector : PccVariant::agent);
    return core::run_flag_cli(flags, argc, argv, name, [&] { return run_pcc(options.resolve()); });
}

}  // namespace pc::agent
