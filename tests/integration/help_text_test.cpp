// pcc, pcd and pcprocess --help: one style, every flag once with its environment variable and
// its default (pcctl's subcommands are checked in pcctl_cli_test.cpp), and --version answers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

struct Program {
    const char* name;
    std::size_t min_flags;  // so a parser that finds nothing cannot pass
    std::vector<std::string> variables;
};

TEST(HelpText, EveryFlagOfPccPcdAndPcprocessStatesItsVariableAndDefault) {
    const std::vector<Program> programs{
        {"pcc",
         17,
         {"PCC_MODE", "PCC_COLLECTION", "PCC_DURATION", "PCC_FREQUENCY", "PCC_IDENTIFIER",
          "PCC_LOGLEVEL", "PCC_APIKEY", "PCC_SERVER_URL", "PCC_PROCROOT", "PCC_SUBSYSTEMS",
          "PCC_SPOOL", "PCC_SPOOL_MAX", "PCC_BATCH_MAX", "PCC_DRAIN_TIMEOUT", "PCC_COMPRESSION",
          "PCC_CAFILE", "PCC_ROTATE", "PCC_KEEP"}},
        {"pcd", 11, {"PCD_LISTENADDRESS",  "LISTENADDRESS",
                     "PCD_HOME",           "PCD_APIKEYS_FILE",
                     "PCD_ADMINKEYS_FILE", "PCD_DATADIR",
                     "PCD_LOGLEVEL",       "PCD_TLSCERT",
                     "PCD_TLSKEY",         "PCD_MAXBODY",
                     "PCD_RATELIMIT",      "PCD_THREADS",
                     "PCD_LOADTEST",       "PCD_LOADTEST_SECONDS_PER_LEVEL",
                     "PCD_RETENTION",      "PCD_RETENTION_INTERVAL",
                     "PCD_DASHBOARD",      "PCD_SESSION_TTL",
                     "PCD_STORE",          "PCD_KEYS_REFRESH"}},
        {"pcprocess",
         7,
         {"PCR_COLLECTION", "PCR_OUTDIR", "PCR_COMPAT", "PCR_FORMATS", "PCR_MACHINE_ID",
          "PCR_STRICT", "PCR_LOGLEVEL"}},
    };
    for (const auto& program : programs) {
        const auto binary = (pc::test::bin_dir() / program.name).string();
        auto help = pc::test::run({binary, "--help"}, {}, 20s);
        ASSERT_EQ(help.exit_code, 0) << program.name << ": " << help.err;
        EXPECT_NE(help.out.find("Usage:"), std::string::npos) << help.out;
        for (const auto& variable : program.variables)
            EXPECT_NE(help.out.find(variable), std::string::npos)
                << program.name << ": " << variable;
        // Each variable is shown once, the way CLI11 shows it, never again in the description
        // (pcd once printed "[env PCD_HOME, default ~/.pcd]" after "(Env:PCD_HOME)").
        EXPECT_EQ(help.out.find("[env "), std::string::npos) << program.name << ":\n" << help.out;
        for (const auto& variable : program.variables) {
            const std::string shown = "(Env:" + variable + ")";
            const auto first = help.out.find(shown);
            if (variable == "LISTENADDRESS") continue;  // the original's fallback, in a sentence
            ASSERT_NE(first, std::string::npos) << program.name << ": " << shown;
            EXPECT_EQ(help.out.find(shown, first + 1), std::string::npos)
                << program.name << ": " << shown;
        }
        std::size_t flags = 0;
        for (const auto& entry : pc::test::help_option_entries(help.out)) {
            if (entry.find("--help") != std::string::npos ||
                entry.find("--version") != std::string::npos)
                continue;
            ++flags;
            const std::string signature = entry.substr(0, entry.find("  ", 2));
            EXPECT_NE(entry.find("(Env:"), std::string::npos) << program.name << ": " << entry;
            const bool default_shown = signature.find('=') != std::string::npos ||
                                       entry.find("default") != std::string::npos ||
                                       entry.find("(required)") != std::string::npos;
            EXPECT_TRUE(default_shown) << program.name << ": " << entry;
        }
        EXPECT_GE(flags, program.min_flags) << program.name << ":\n" << help.out;

        auto version = pc::test::run({binary, "--version"}, {}, 20s);
        EXPECT_EQ(version.exit_code, 0) << program.name;
        EXPECT_NE(version.out.find(program.name), std::string::npos) << version.out;
    }
}

}  // namespace
