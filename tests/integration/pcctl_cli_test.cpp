// pcctl's command line: --help everywhere documents flags and environment variables.
#include <gtest/gtest.h>

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
        {{"machines"}, {}},
        {{"fetch"}, {"--since", "--until", "--output"}},
        {{"replay"}, {"--identifier", "PCC_IDENTIFIER", "--state", "--batch-ticks"}},
        {{"validate"}, {"--frequency", "--strict"}},
        {{"upload"},
         {"XATBACKEND_URL", "XATBACKEND_APIKEY", "XATBACKEND_TENANT_ID", "TENANT_ID", "MACHINE_ID",
          "UPLOAD_RETRY_MAX", "UPLOAD_TIMEOUT", "=3", "=60s"}},
        {{"apikey"}, {"generate", "add", "list", "remove"}},
        {{"apikey", "generate"}, {}},
        {{"apikey", "add"}, {}},
        {{"apikey", "list"}, {}},
        {{"apikey", "remove"}, {"--line"}},
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

TEST(PcctlCli, UsageErrorsAreNonZero) {
    EXPECT_NE(pcctl({}).exit_code, 0);
    EXPECT_NE(pcctl({"no-such-command"}).exit_code, 0);
    EXPECT_NE(pcctl({"ping", "--no-such-flag"}).exit_code, 0);
    EXPECT_NE(pcctl({"fetch"}).exit_code, 0);  // identifier required
    auto r = pcctl({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("pcctl ", 0), 0u) << r.out;
}

}  // namespace
