// fresh / late / silent from the age of the last batch in the machine's own interval.
#include "pc/server/machine_state.hpp"

#include <gtest/gtest.h>

using namespace pc::server;

TEST(MachineState, ThresholdsScaleWithTheInterval) {
    // 1 s agents: fresh up to 7 s, late up to 15 s.
    EXPECT_EQ(classify_machine(0, 1), MachineState::fresh);
    EXPECT_EQ(classify_machine(7, 1), MachineState::fresh);
    EXPECT_EQ(classify_machine(8, 1), MachineState::late);
    EXPECT_EQ(classify_machine(15, 1), MachineState::late);
    EXPECT_EQ(classify_machine(16, 1), MachineState::silent);
    // 60 s agents: fresh up to 125 s, late up to 310 s.
    EXPECT_EQ(classify_machine(125, 60), MachineState::fresh);
    EXPECT_EQ(classify_machine(126, 60), MachineState::late);
    EXPECT_EQ(classify_machine(310, 60), MachineState::late);
    EXPECT_EQ(classify_machine(311, 60), MachineState::silent);
}

TEST(MachineState, UnknownIntervalCountsAsTenSeconds) {
    EXPECT_EQ(classify_machine(25, std::nullopt), MachineState::fresh);
    EXPECT_EQ(classify_machine(26, std::nullopt), MachineState::late);
    EXPECT_EQ(classify_machine(61, std::nullopt), MachineState::silent);
}

TEST(MachineState, ExtremeIntervalsAreClamped) {
    EXPECT_EQ(classify_machine(7, 0), MachineState::fresh);
    EXPECT_EQ(classify_machine(8, -5), MachineState::late);
    EXPECT_EQ(classify_machine(1'000'000, INT64_MAX), MachineState::silent);
}

TEST(MachineState, Names) {
    EXPECT_EQ(state_name(MachineState::fresh), "fresh");
    EXPECT_EQ(state_name(MachineState::late), "late");
    EXPECT_EQ(state_name(MachineState::silent), "silent");
}
