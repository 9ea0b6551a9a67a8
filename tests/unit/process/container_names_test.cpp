#include "pc/process/container_names.hpp"

#include <gtest/gtest.h>

#include "pc/core/error.hpp"
#include "test_support.hpp"

TEST(ContainerNames, StrictJsonAndLenientVariants) {
    auto n = pc::process::parse_container_names(R"({"a": "x", "b": "y", "c": 3})");
    EXPECT_EQ(n.size(), 2u);
    EXPECT_EQ(n.at("a"), "x");
    n = pc::process::parse_container_names("{\n \"a\": \"x\"\n,\n \"b\": \"y\",\n}\n");
    EXPECT_EQ(n.size(), 2u);
    EXPECT_EQ(n.at("b"), "y");
    n = pc::process::parse_container_names("{\"a\": \"x\",, \"b\": \"y\"");
    EXPECT_EQ(n.size(), 2u);
    EXPECT_THROW(pc::process::parse_container_names("[1]"), pc::core::UserError);
    EXPECT_THROW(pc::process::parse_container_names("{\"a\" \"x\"}"), pc::core::UserError);
}

TEST(ContainerNames, LoadNamesTheFileInErrors) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "names.json", "[]");
    try {
        pc::process::load_container_names(dir / "names.json");
        FAIL() << "no error";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("names.json"), std::string::npos) << e.what();
    }
    EXPECT_THROW(pc::process::load_container_names(dir / "missing.json"), pc::core::UserError);
}
