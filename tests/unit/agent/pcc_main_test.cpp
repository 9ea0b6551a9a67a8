// pcc's entry point picks the agent or the container collector from the program name.
#include "pc/agent/pcc_main.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

struct Outcome {
    int status;
    std::string out;
};

Outcome call(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    testing::internal::CaptureStdout();
    int status = pc::agent::pcc_main(static_cast<int>(args.size()), argv.data());
    return {status, testing::internal::GetCapturedStdout()};
}

}  // namespace

TEST(PccMain, ProgramNameSelectsTheContainerCollector) {
    auto agent = call({"/usr/bin/pcc", "--help"});
    EXPECT_EQ(agent.status, 0);
    EXPECT_NE(agent.out.find("PCC_SUBSYSTEMS"), std::string::npos);
    EXPECT_NE(agent.out.find("PCC_DURATION"), std::string::npos);
    EXPECT_EQ(agent.out.find("PCC_CONTAINER_DURATION"), std::string::npos);

    auto cc = call({"/usr/bin/pcc-container-linux", "--help"});
    EXPECT_EQ(cc.status, 0);
    EXPECT_EQ(cc.out.find("PCC_SUBSYSTEMS"), std::string::npos);
    for (const char* v : {"PCC_CONTAINER_DURATION", "PCC_CONTAINER_FREQUENCY",
                          "PCC_CONTAINER_COLLECTION", "PCC_CGROUPROOT", "PCC_DOCKER_ROOT"}) {
        EXPECT_NE(cc.out.find(v), std::string::npos) << v;
    }

    auto version = call({"pcc-container-linux", "--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.out.rfind("pcc-container-linux ", 0), 0u) << version.out;
    // Only the exact name: a renamed copy is pcc.
    auto other = call({"./pcc-container", "--version"});
    EXPECT_EQ(other.out.rfind("pcc ", 0), 0u) << other.out;
}
