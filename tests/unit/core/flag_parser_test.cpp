#include "pc/core/flag_parser.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

// A parser with two options, fed an argv and a fake environment.
struct Parsed {
    pc::core::FlagParser::Outcome outcome;
    std::string mode = "local";
    std::string collection = "/tmp/pcc.json";
    bool mode_given = false;
    bool collection_given = false;
    std::string mode_name;
    std::string mode_example;
};

Parsed parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    Parsed p;
    pc::core::FlagParser flags("A test program.");
    flags.set_version("prog 1.2.3");
    flags.add("--mode", p.mode, "PC_T_MODE", "local or trickle", "local");
    flags.add("--collection", p.collection, "PC_T_COLLECTION", "Collection file", "/tmp/pcc.json");
    args.insert(args.begin(), "/usr/bin/prog");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    p.outcome = flags.parse(static_cast<int>(argv.size()), argv.data(), [&](const char* name) {
        auto it = env.find(name);
        return it == env.end() ? static_cast<const char*>(nullptr) : it->second.c_str();
    });
    p.mode_given = flags.given("--mode");
    p.collection_given = flags.given("--collection");
    p.mode_name = flags.name("--mode");
    p.mode_example = flags.example("--mode", "local");
    return p;
}

TEST(FlagParser, DefaultsStayWithoutFlagsOrVariables) {
    auto p = parse({});
    EXPECT_TRUE(p.outcome.run);
    EXPECT_EQ(p.outcome.out, "");
    EXPECT_EQ(p.outcome.err, "");
    EXPECT_EQ(p.mode, "local");
    EXPECT_EQ(p.collection, "/tmp/pcc.json");
    EXPECT_FALSE(p.mode_given);
    EXPECT_FALSE(p.collection_given);
}

TEST(FlagParser, FlagsInBothSpellingsAndTheFlagWinsOverTheVariable) {
    auto p = parse({"--mode", "trickle", "--collection=/var/a b.json"},
                   {{"PC_T_MODE", "local"}, {"PC_T_COLLECTION", "/env.json"}});
    ASSERT_TRUE(p.outcome.run) << p.outcome.err;
    EXPECT_EQ(p.mode, "trickle");
    EXPECT_EQ(p.collection, "/var/a b.json");
    EXPECT_TRUE(p.mode_given);

    p = parse({"--collection=/flag.json"}, {{"PC_T_MODE", "trickle"}});
    ASSERT_TRUE(p.outcome.run);
    EXPECT_EQ(p.mode, "trickle");  // from the variable
    EXPECT_TRUE(p.mode_given);
    EXPECT_EQ(p.collection, "/flag.json");
}

TEST(FlagParser, MessagesNameWhatTheUserWroteTheFlagOrTheVariable) {
    auto p = parse({"--mode", "x"}, {{"PC_T_MODE", "y"}});
    EXPECT_EQ(p.mode_name, "--mode");
    EXPECT_EQ(p.mode_example, "--mode local");
    p = parse({}, {{"PC_T_MODE", "y"}});
    EXPECT_EQ(p.mode_name, "PC_T_MODE");
    EXPECT_EQ(p.mode_example, "PC_T_MODE=local");
    p = parse({});
    EXPECT_EQ(p.mode_name, "PC_T_MODE");
}

TEST(FlagParser, EmptyVariableCountsAsUnsetButEmptyFlagValueIsAValue) {
    auto p = parse({}, {{"PC_T_MODE", ""}});
    EXPECT_EQ(p.mode, "local");
    EXPECT_FALSE(p.mode_given);
    p = parse({"--mode="});
    ASSERT_TRUE(p.outcome.run);
    EXPECT_EQ(p.mode, "");
    EXPECT_TRUE(p.mode_given);
}

TEST(FlagParser, ValuesMayStartWithADashOrHoldAnEqualsSign) {
    auto p = parse({"--mode", "-5", "--collection", "a=b"});
    ASSERT_TRUE(p.outcome.run) << p.outcome.err;
    EXPECT_EQ(p.mode, "-5");
    EXPECT_EQ(p.collection, "a=b");
}

TEST(FlagParser, HelpListsEveryOptionWithItsVariableAndDefaultInCli11Layout) {
    for (const char* arg : {"--help", "-h"}) {
        auto p = parse({"--mode", "x", arg, "--bogus"});
        EXPECT_FALSE(p.outcome.run);
        EXPECT_EQ(p.outcome.exit_code, 0);
        EXPECT_EQ(p.outcome.err, "");
        EXPECT_EQ(p.outcome.out,
                  "A test program.\n"
                  "Usage: /usr/bin/prog [OPTIONS]\n"
                  "\n"
                  "Options:\n"
                  "  -h,--help                   Print this help message and exit\n"
                  "  --version                   Print the version and exit\n"
                  "  --mode TEXT=local (Env:PC_T_MODE)\n"
                  "                              local or trickle\n"
                  "  --collection TEXT=/tmp/pcc.json (Env:PC_T_COLLECTION)\n"
                  "                              Collection file\n");
    }
}

TEST(FlagParser, VersionPrintsTheVersionLine) {
    auto p = parse({"--version"});
    EXPECT_FALSE(p.outcome.run);
    EXPECT_EQ(p.outcome.exit_code, 0);
    EXPECT_EQ(p.outcome.out, "prog 1.2.3\n");
}

TEST(FlagParser, UnexpectedArgumentsAreListedOnOneLineWithTheUsageStatus) {
    auto p = parse({"--bogus", "--mode", "x", "extra"});
    EXPECT_FALSE(p.outcome.run);
    EXPECT_EQ(p.outcome.exit_code, 2);
    EXPECT_EQ(p.outcome.err,
              "unexpected arguments: --bogus extra; options are --name VALUE or --name=VALUE, "
              "listed by --help\n");
    p = parse({"-x"});
    EXPECT_EQ(p.outcome.err,
              "unexpected argument: -x; options are --name VALUE or --name=VALUE, listed by "
              "--help\n");
    p = parse({"--", "--mode"});
    EXPECT_EQ(p.outcome.exit_code, 2);
    EXPECT_NE(p.outcome.err.find("unexpected argument: --mode"), std::string::npos);
}

TEST(FlagParser, MissingOrRepeatedValuesAreRefused) {
    for (const auto& args : {std::vector<std::string>{"--mode"},
                             std::vector<std::string>{"--mode", "--collection=x"}}) {
        auto p = parse(args);
        EXPECT_FALSE(p.outcome.run);
        EXPECT_EQ(p.outcome.exit_code, 2);
        EXPECT_EQ(p.outcome.err, "--mode: value missing; use --mode VALUE or --mode=VALUE\n");
    }
    auto p = parse({"--mode=a", "--mode", "b"});
    EXPECT_EQ(p.outcome.exit_code, 2);
    EXPECT_EQ(p.outcome.err, "--mode: given 2 times; give it once, as --mode VALUE\n");
}

TEST(FlagParser, AnOptionWithoutDefaultOrVariableShowsOnlyItsType) {
    pc::core::FlagParser flags("d");
    std::string v;
    flags.add("--plain", v, "", "Plain option", "");
    const auto help = flags.help("p");
    EXPECT_NE(help.find("  --plain TEXT                Plain option\n"), std::string::npos) << help;
    EXPECT_EQ(help.find("--version"), std::string::npos) << "no version line was set";
}

}  // namespace
