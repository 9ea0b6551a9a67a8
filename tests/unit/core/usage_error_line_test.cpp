#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "pc/core/cli.hpp"

namespace {

// A pcctl-like program: a global typed option with a variable, two commands, one nested.
struct Program {
    CLI::App app{"test program", "prog"};
    std::size_t threads = 4;
    std::string server;
    int count = 1;
    Program() {
        pc::core::use_help_style(app);
        app.fallthrough();
        app.require_subcommand(1);
        app.add_option("--threads", threads, "Workers")->envname("PC_T_THREADS")->default_str("4");
        app.add_option("--server", server, "Server")->envname("PC_T_SERVER");
        auto* ping = app.add_subcommand("ping", "Ping");
        ping->add_option("-c,--count", count, "Pings");
        auto* key = app.add_subcommand("key", "Keys");
        key->require_subcommand(1);
        key->add_subcommand("generate", "New key");
        key->add_subcommand("list", "List keys");
    }
    // The usage line for `args`, or "(parsed)".
    std::string line(std::vector<std::string> args) {
        std::vector<std::string> argv{"prog"};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<const char*> ptrs;
        for (const auto& a : argv) ptrs.push_back(a.c_str());
        try {
            app.parse(static_cast<int>(ptrs.size()), ptrs.data());
        } catch (const CLI::ParseError& e) {
            return pc::core::usage_error_line(app, e, args);
        }
        return "(parsed)";
    }
};

TEST(UsageErrorLine, UnknownCommandIsNamedWithTheValidOnes) {
    EXPECT_EQ(Program().line({"bogus"}),
              "unknown command \"bogus\"; use one of: ping, key (see prog --help)");
    EXPECT_EQ(Program().line({"--server", "x", "bogus"}),
              "unknown command \"bogus\"; use one of: ping, key (see prog --help)");
    EXPECT_EQ(Program().line({"key", "rotate"}),
              "unknown command \"rotate\"; use one of: generate, list (see prog key --help)");
    EXPECT_EQ(Program().line({}), "a command is required; use one of: ping, key (see prog --help)");
}

TEST(UsageErrorLine, ConversionErrorsNameTheFlagOrTheVariable) {
    EXPECT_EQ(Program().line({"--threads", "lots", "ping"}),
              "--threads: invalid value \"lots\"; use a whole number, e.g. --threads 4");
    EXPECT_EQ(Program().line({"ping", "--count", "many"}),
              "--count: invalid value \"many\"; use an integer, e.g. --count VALUE");
    ::setenv("PC_T_THREADS", "lots", 1);
    const auto from_env = Program().line({"ping"});
    ::unsetenv("PC_T_THREADS");
    EXPECT_EQ(from_env,
              "PC_T_THREADS: invalid value \"lots\"; use a whole number, e.g. "
              "PC_T_THREADS=4");
}

TEST(UsageErrorLine, OtherMistakesPointAtTheRightHelp) {
    EXPECT_EQ(Program().line({"ping", "--nope"}).rfind("unexpected argument", 0), 0u);
    EXPECT_NE(Program().line({"ping", "--nope"}).find("see prog ping --help"), std::string::npos);
    EXPECT_NE(Program().line({"ping", "--count"}).find("--count"), std::string::npos);
}

TEST(HelpStyle, SubcommandHelpListsItsParentsOptions) {
    Program p;
    const std::string help = p.app.get_subcommand("ping")->help();
    EXPECT_NE(help.find("--count"), std::string::npos) << help;
    EXPECT_NE(help.find("Options of prog, accepted here too:"), std::string::npos) << help;
    EXPECT_NE(help.find("--threads UINT=4 (Env:PC_T_THREADS)"), std::string::npos) << help;
    EXPECT_EQ(p.app.help().find("accepted here too"), std::string::npos);
}

}  // namespace
