// pcc's entry point: the agent, or the container collector when started as pcc-container-linux.
#pragma once

namespace pc::agent {

int pcc_main(int argc, char** argv);

}  // namespace pc::agent
