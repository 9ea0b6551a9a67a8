// pcc: perfcollector agent: samples /proc into a collection or trickles it to pcd.
// Its command line uses pc::FlagParser, not CLI11: see pc/core/flag_parser.hpp for why.
#include "pc/agent/pcc_config.hpp"
#include "pc/agent/pcc_run.hpp"
#include "pc/core/flag_parser.hpp"
#include "pc/core/version.hpp"

int main(int argc, char** argv) {
    pc::core::FlagParser flags(
        "perfcollector agent: samples /proc into a collection or trickles it to pcd.\n"
        "Every setting is an environment variable and also a flag; the flag wins.");
    flags.set_version(pc::core::version_line("pcc"));
    pc::agent::PccOptions options(flags);
    return pc::core::run_flag_cli(flags, argc, argv, "pcc",
                                  [&] { return pc::agent::run_pcc(options.resolve()); });
}
