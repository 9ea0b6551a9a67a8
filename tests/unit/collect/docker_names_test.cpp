#include "pc/collect/docker_names.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

const char* kDocker1 = "7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d";

}  // namespace

TEST(DockerNames, TopLevelNameOnlyWithoutTheSlash) {
    EXPECT_EQ(pc::collect::docker_name_from_config(
                  R"({"MountPoints":{"/d":{"Name":"vol"}},"Args":["Name"],"Name":"/web-1"})"),
              "web-1");
    EXPECT_EQ(pc::collect::docker_name_from_config(R"({"Config":{"Name":"x"}})"), "");
    EXPECT_EQ(pc::collect::docker_name_from_config(R"({"Name": "/a\"b"})"), "a\"b");
    EXPECT_EQ(pc::collect::docker_name_from_config("{\"Name\":\"/unterminated"), "");
}

TEST(DockerNames, ReadOncePerContainerAndForgottenWhenGone) {
    pc::test::TempDir tmp;
    auto config = tmp / "containers" / kDocker1 / "config.v2.json";
    pc::test::write_file(config, R"({"Name":"/first"})");
    pc::collect::DockerNames names(tmp.path());
    EXPECT_EQ(names.name(kDocker1), "first");
    pc::test::write_file(config, R"({"Name":"/second"})");
    EXPECT_EQ(names.name(kDocker1), "first");  // cached: no read per tick
    EXPECT_EQ(names.name("ffff"), "");         // no file: empty name
    names.forget_others();                     // tick boundary: both were asked for
    EXPECT_EQ(names.cached(), 2u);
    names.forget_others();  // nothing asked since: both forgotten
    EXPECT_EQ(names.cached(), 0u);
    EXPECT_EQ(names.name(kDocker1), "second");
}
