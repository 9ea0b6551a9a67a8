// The test harness's child processes (pc::test::Child): what every integration test relies on.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

// The child gets our environment with the test's overrides applied (built before fork, see
// Child), and an empty override is an empty value, not an unset variable.
TEST(ChildProcess, EnvironmentOverridesApply) {
    ::setenv("PC_HARNESS_INHERITED", "from-parent", 1);
    ::setenv("PC_HARNESS_REPLACED", "old", 1);
    auto r = pc::test::run(
        {"/bin/sh", "-c",
         "echo \"$PC_HARNESS_INHERITED|$PC_HARNESS_REPLACED|${PC_HARNESS_EMPTY-unset}|$PC_NEW\""},
        {{"PC_HARNESS_REPLACED", "new"}, {"PC_HARNESS_EMPTY", ""}, {"PC_NEW", "x y"}}, 20s);
    ::unsetenv("PC_HARNESS_INHERITED");
    ::unsetenv("PC_HARNESS_REPLACED");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "from-parent|new||x y\n");
}

// A child that outlives its time is described before it is killed, so that a hang in CI says
// where it hung.
TEST(ChildProcess, TimedOutChildIsDescribed) {
    auto r = pc::test::run({"/bin/sleep", "30"}, {}, 300ms);
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGKILL);
    EXPECT_NE(r.err.find("[test harness] /bin/sleep (pid "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did not finish in time"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("exe: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("State:"), std::string::npos) << r.err;
}

}  // namespace
