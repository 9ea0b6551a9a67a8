#include <gtest/gtest.h>

#include "pc/agent/pcc_run.hpp"

using pc::agent::exit_status;
using pc::agent::PccMode;
using pc::record::SinkReport;

TEST(PccExitStatusRule, ZeroOnlyWhenEveryTickArrived) {
    SinkReport all;
    all.delivered = 10;
    EXPECT_EQ(exit_status(PccMode::local, all), 0);
    EXPECT_EQ(exit_status(PccMode::trickle, all), 0);
}

TEST(PccExitStatusRule, LostTicksGiveThree) {
    for (int which = 0; which < 3; ++which) {
        SinkReport r;
        r.delivered = 5;
        (which == 0 ? r.dropped : which == 1 ? r.refused : r.failed) = 1;
        EXPECT_EQ(exit_status(PccMode::trickle, r), 3) << which;
    }
    SinkReport write_error;
    write_error.failed = 1;
    EXPECT_EQ(exit_status(PccMode::local, write_error), 3);
    // Lost and some left in the spool: the loss is what the status says.
    SinkReport both;
    both.dropped = 2;
    both.pending = 4;
    EXPECT_EQ(exit_status(PccMode::trickle, both), 3);
}

TEST(PccExitStatusRule, TicksLeftInTheSpoolGiveFourARefusedKeyFive) {
    SinkReport spooled;
    spooled.delivered = 3;
    spooled.pending = 2;
    EXPECT_EQ(exit_status(PccMode::trickle, spooled), 4);
    SinkReport refused = spooled;
    refused.delivered = 0;
    refused.key_refused = true;
    EXPECT_EQ(exit_status(PccMode::trickle, refused), 5);
    // Even with a loss on top, the key is the thing to fix first.
    refused.dropped = 1;
    EXPECT_EQ(exit_status(PccMode::trickle, refused), 5);
}
