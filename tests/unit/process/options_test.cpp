#include "pc/process/options.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"

using namespace pc::process;

TEST(ProcessOptions, Formats) {
    auto f = parse_formats("sar,wide");
    EXPECT_TRUE(f.sar && f.wide);
    f = parse_formats("wide");
    EXPECT_FALSE(f.sar);
    EXPECT_TRUE(f.wide);
    f = parse_formats(" sar ");
    EXPECT_TRUE(f.sar);
    EXPECT_FALSE(f.wide);
    EXPECT_THROW(parse_formats("csv"), pc::core::UserError);
    EXPECT_THROW(parse_formats(""), pc::core::UserError);
}

TEST(ProcessOptions, Mode) {
    EXPECT_EQ(parse_mode(""), Mode::standard);
    EXPECT_EQ(parse_mode("perfcollector2"), Mode::compat);
    EXPECT_THROW(parse_mode("perfcollector1"), pc::core::UserError);
}

TEST(ProcessOptions, MachineIdFromPath) {
    EXPECT_EQ(machine_id_from_path("/var/lib/pcd/web-01.json"), "web-01");
    EXPECT_EQ(machine_id_from_path("web-01.json.gz"), "web-01");
    EXPECT_EQ(machine_id_from_path("dir/host"), "host");
    EXPECT_EQ(machine_id_from_path("-"), "stdin");
}
