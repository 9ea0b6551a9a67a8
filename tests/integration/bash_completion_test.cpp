// The bash completion the .deb installs (packaging/bash-completion/<prog>): sourced in a real
// bash, it completes each program's options, and pcctl's subcommands and their options, from
// the built binaries' --help.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

// The completions bash offers for `words` (the last one being completed), one per element.
std::vector<std::string> complete(const std::string& program,
                                  const std::vector<std::string>& words) {
    std::string script = "set -e\nsource \"$1\"\nCOMP_WORDS=(";
    for (const auto& w : words) script += " '" + w + "'";
    script += " )\nCOMP_CWORD=" + std::to_string(words.size() - 1) + "\n";
    script += "fn=$(complete -p " + program + " | sed -E 's/.* -F ([^ ]+) .*/\\1/')\n";
    script +=
        "\"$fn\" " + program + " \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n";
    script += "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    const auto file = pc::test::source_dir() / "packaging" / "bash-completion" / program;
    auto r = pc::test::run({"/bin/bash", "-c", script, "bash", file.string()},
                           {{"PATH", pc::test::bin_dir().string() + ":/usr/bin:/bin"}}, 30s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& item) {
    return std::find(v.begin(), v.end(), item) != v.end();
}

TEST(BashCompletion, OptionsOfPccPcdAndPcprocess) {
    EXPECT_EQ(complete("pcc", {"pcc", "--freq"}), std::vector<std::string>{"--frequency"});
    auto all = complete("pcc", {"pcc", "--"});
    EXPECT_TRUE(contains(all, "--mode"));
    EXPECT_TRUE(contains(all, "--help"));
    EXPECT_GE(all.size(), 17u);
    EXPECT_EQ(complete("pcd", {"pcd", "--tls-c"}), std::vector<std::string>{"--tls-cert"});
    EXPECT_TRUE(contains(complete("pcprocess", {"pcprocess", "--"}), "--outdir"));
}

TEST(BashCompletion, PcctlSubcommandsAndTheirOptions) {
    auto top = complete("pcctl", {"pcctl", ""});
    for (const char* sub : {"apikey", "validate", "fetch", "machines", "replay", "upload", "ping"})
        EXPECT_TRUE(contains(top, sub)) << sub;
    EXPECT_EQ(complete("pcctl", {"pcctl", "val"}), std::vector<std::string>{"validate"});
    EXPECT_TRUE(contains(complete("pcctl", {"pcctl", "apikey", "gen"}), "generate"));
    EXPECT_EQ(complete("pcctl", {"pcctl", "validate", "--stri"}),
              std::vector<std::string>{"--strict"});
    // An option value between the words does not hide the subcommand.
    EXPECT_EQ(complete("pcctl", {"pcctl", "--server", "http://x", "validate", "--stri"}),
              std::vector<std::string>{"--strict"});
}

}  // namespace
