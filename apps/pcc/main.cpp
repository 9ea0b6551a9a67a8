// pcc: perfcollector agent: samples /proc into a collection or trickles it to pcd.
// Its command line uses pc::FlagParser, not CLI11: see pc/core/flag_parser.hpp for why.
#include "pc/agent/pcc_main.hpp"

int main(int argc, char** argv) {
    return pc::agent::pcc_main(argc, argv);
}
