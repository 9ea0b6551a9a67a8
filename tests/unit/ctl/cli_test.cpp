#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "pc/ctl/app.hpp"

namespace {

// Parses argv (without the program name) the way main() does.
struct Parsed {
    CLI::App app{"pcctl", "pcctl"};
    pc::ctl::Cli cli{app};
    explicit Parsed(std::vector<std::string> args) {
        std::reverse(args.begin(), args.end());  // CLI11 takes the vector reversed
        app.parse(args);
    }
};

TEST(CtlCli, GlobalOptionsWorkBeforeAndAfterTheSubcommand) {
    ::unsetenv("PCC_SERVER_URL");
    Parsed before({"--server", "http://a:1", "--json", "apikey", "list"});
    EXPECT_EQ(before.cli.global().server, "http://a:1");
    EXPECT_TRUE(before.cli.global().json);

    Parsed after({"apikey", "list", "--server", "http://b:2", "--json", "--admin", "--home", "/h"});
    EXPECT_EQ(after.cli.global().server, "http://b:2");
    EXPECT_TRUE(after.cli.global().json);
    EXPECT_TRUE(after.cli.global().admin);
    EXPECT_EQ(after.cli.global().home, "/h");
}

TEST(CtlCli, DefaultsAndEnvironmentAndFlagWins) {
    ::unsetenv("PCC_SERVER_URL");
    ::unsetenv("PCD_HOME");
    Parsed defaults({"apikey", "list"});
    EXPECT_EQ(defaults.cli.global().server, "http://localhost:8080");
    EXPECT_EQ(defaults.cli.global().home, "");  // resolved later by default_home()
    EXPECT_FALSE(defaults.cli.global().json);

    ::setenv("PCC_SERVER_URL", "http://env:3", 1);
    ::setenv("PCCTL_ADMINKEY", "admin-key-from-env", 1);
    Parsed env({"apikey", "list"});
    EXPECT_EQ(env.cli.global().server, "http://env:3");
    EXPECT_EQ(env.cli.global().adminkey, "admin-key-from-env");
    Parsed flag({"apikey", "list", "--server", "http://flag:4"});
    EXPECT_EQ(flag.cli.global().server, "http://flag:4");
    ::unsetenv("PCC_SERVER_URL");
    ::unsetenv("PCCTL_ADMINKEY");
}

TEST(CtlCli, ASubcommandIsRequired) {
    CLI::App app{"pcctl", "pcctl"};
    pc::ctl::Cli cli{app};
    std::vector<std::string> none;
    EXPECT_THROW(app.parse(none), CLI::ParseError);
}

}  // namespace
