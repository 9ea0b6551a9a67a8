// pcctl's command line: --help everywhere documents flags and environment variables.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "pcctl_fixture.hpp"

namespace {

using pc::test::pcctl;

TEST(PcctlCli, HelpOfEverySubcommand) {
    auto r = pcctl({"--help"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* needle : {"PCC_SERVER_URL", "PCC_CAFILE", "PCCTL_ADMINKEY", "PCC_APIKEY",
                               "PCD_HOME", "--json", "http://localhost:8080", "~/.pcd"}) {
        EXPECT_NE(r.out.find(needle), std::string::npos) << needle;
    }
    const std::map<std::vector<std::string>, std::vector<std::string>> subcommands{
        {{"ping"}, {"--count"}},
        {{"version"}, {}},
        {{"health"}, {}},
        {{"machines"}, {"trim", "delete"}},
        {{"machines", "trim"}, {"--before", "identifier"}},
        {{"machines", "delete"}, {"identifier"}},
        {{"fetch"}, {"--since", "--until", "--output"}},
        {{"report"}, {"--since", "--until", "--output", "--input", "--max-points"}},
        {{"replay"}, {"--identifier", "PCC_IDENTIFIER", "--state", "--batch-ticks"}},
        {{"validate"}, {"--frequency", "--strict"}},
        {{"upload"},
         {"XATBACKEND_URL", "XATBACKEND_APIKEY", "XATBACKEND_TENANT_ID", "TENANT_ID", "MACHINE_ID",
          "UPLOAD_RETRY_MAX", "UPLOAD_TIMEOUT", "=3", "=60s"}},
        {{"apikey"},
         {"generate", "add", "list", "remove", "hash", "--store", "PCD_STORE",
          "PCD_STORE_PASSWORD_FILE"}},
        {{"apikey", "hash"}, {}},
        {{"cpumeasure"}, {"--verbose", "--output", "--format", "--levels", "--seconds-per-level"}},
        {{"loadtest"}, {"--output", "/v1/loadtest"}},
        {{"apikey", "generate"}, {}},
        {{"apikey", "add"}, {}},
        {{"apikey", "list"}, {}},
        {{"apikey", "remove"}, {"--line"}},
        {{"store"}, {"copy"}},
        {{"store", "copy"}, {"--from", "--to", "--identifier"}},
    };
    for (const auto& [words, needles] : subcommands) {
        auto args = words;
        args.push_back("--help");
        auto h = pcctl(args);
        EXPECT_EQ(h.exit_code, 0) << words[0];
        EXPECT_NE(h.out.find("Usage: pcctl " + words[0]), std::string::npos) << h.out;
        for (const auto& n : needles) EXPECT_NE(h.out.find(n), std::string::npos) << n;
    }
}

// Issue 5/6: every flag's --help entry states its environment variable (or that it has none)
// and its default.
TEST(PcctlCli, EveryFlagStatesItsEnvironmentVariableAndDefault) {
    const std::vector<std::vector<std::string>> commands{{},
                                                         {"ping"},
                                                         {"version"},
                                                         {"health"},
                                                         {"machines"},
                                                         {"machines", "trim"},
                                                         {"machines", "delete"},
                                                         {"fetch"},
                                                         {"report"},
                                                         {"replay"},
                                                         {"validate"},
                                                         {"upload"},
                                                         {"cpumeasure"},
                                                         {"loadtest"},
                                                         {"apikey"},
                                                         {"apikey", "generate"},
                                                         {"apikey", "add"},
                                                         {"apikey", "list"},
                                                         {"apikey", "remove"},
                                                         {"apikey", "hash"},
                                                         {"store"},
                                                         {"store", "copy"}};
    std::size_t checked = 0;
    for (const auto& words : commands) {
        auto args = words;
        args.push_back("--help");
        auto h = pcctl(args);
        ASSERT_EQ(h.exit_code, 0) << h.err;
        for (const auto& entry : pc::test::help_option_entries(h.out)) {
            if (entry.find("--help") != std::string::npos ||
                entry.find("--version") != std::string::npos)
                continue;
            ++checked;
            const std::string signature = entry.substr(0, entry.find("  ", 2));
            const bool env = entry.find("(Env:") != std::string::npos ||
                             entry.find("no env var") != std::string::npos ||
                             entry.find("(env: ") != std::string::npos;
            const bool default_shown = signature.find('=') != std::string::npos ||
                                       entry.find("default: ") != std::string::npos;
            EXPECT_TRUE(env) << "pcctl " << (words.empty() ? "" : words[0]) << ": " << entry;
            EXPECT_TRUE(default_shown)
                << "pcctl " << (words.empty() ? "" : words[0]) << ": " << entry;
        }
    }
    EXPECT_GE(checked, 30u);  // the parser found the entries (about 35 flags)

    // What the review asked for in particular.
    const auto global = pcctl({"--help"}).out;
    for (const char* needle : {"PCC_CAFILE)", "the system CA store",
                               "admin keys (file or --store database) (no env var)",
                               "on stdout (no env var); default: off"})
        EXPECT_NE(global.find(needle), std::string::npos) << needle;
    const auto upload = pcctl({"upload", "--help"}).out;
    EXPECT_NE(upload.find("(Env:XATBACKEND_TENANT_ID, else TENANT_ID)"), std::string::npos)
        << upload;
}

// Issue 17: one line naming what was given and the valid form, exit 2.
TEST(PcctlCli, UsageErrorsAreOneLineWithStatusTwo) {
    auto one_line = [](const pc::test::ProcessResult& r) {
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_EQ(r.err.rfind("pcctl: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        return r.err;
    };
    auto err = one_line(pcctl({"bogus"}));
    EXPECT_NE(err.find("unknown command \"bogus\""), std::string::npos) << err;
    EXPECT_NE(err.find("apikey"), std::string::npos) << "lists the valid commands: " << err;
    // A global option and its value before the unknown word are not mistaken for it.
    err = one_line(pcctl({"--server", "http://127.0.0.1:1", "bogus"}));
    EXPECT_NE(err.find("unknown command \"bogus\""), std::string::npos) << err;
    err = one_line(pcctl({"apikey", "bogus"}));
    EXPECT_NE(err.find("unknown command \"bogus\"; use one of: generate"), std::string::npos)
        << err;
    err = one_line(pcctl({}));
    EXPECT_NE(err.find("a command is required"), std::string::npos) << err;
    err = one_line(pcctl({"ping", "--no-such-flag"}));
    EXPECT_NE(err.find("--no-such-flag"), std::string::npos) << err;
    one_line(pcctl({"fetch"}));  // identifier required
    // A conversion error names the flag, or the variable when the value came from it.
    err = one_line(pcctl({"ping", "--count", "many"}));
    EXPECT_EQ(err.rfind("pcctl: --count: invalid value \"many\"; use ", 0), 0u) << err;
    auto r = pcctl({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("pcctl ", 0), 0u) << r.out;
}

// A subcommand's help lists the global options, which it accepts too.
TEST(PcctlCli, SubcommandHelpListsTheGlobalOptions) {
    for (const auto& words :
         std::vector<std::vector<std::string>>{{"ping"}, {"fetch"}, {"apikey", "generate"}}) {
        auto args = words;
        args.push_back("--help");
        auto h = pcctl(args);
        ASSERT_EQ(h.exit_code, 0) << h.err;
        for (const char* global : {"--server", "(Env:PCC_SERVER_URL)", "--adminkey", "--timeout",
                                   "--loglevel", "--home"})
            EXPECT_NE(h.out.find(global), std::string::npos) << words[0] << ": " << global;
        EXPECT_NE(h.out.find("Options of pcctl, accepted here too:"), std::string::npos) << h.out;
    }
}

}  // namespace
