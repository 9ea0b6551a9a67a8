// pcc's linking choices (docs/architecture.md, "Linking" and "pcc's command line"), checked on
// the built binary: they are what keeps the agent small in memory and on disk, and one stray
// include can undo them without any behaviour changing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

std::string pcc_path() {
    return (pc::test::bin_dir() / "pcc").string();
}

// What a binutils tool prints about pcc; empty when the tool is missing or fails.
std::string tool_output(const std::vector<std::string>& argv) {
    auto r = pc::test::run(argv, {}, 60s);
    if (r.exit_code != 0) return {};
    return r.out;
}

bool sanitized() {
    return std::getenv("PC_TEST_SANITIZED") != nullptr;
}

TEST(PccLink, NeedsOnlyLibcAndZlib) {
    if (sanitized())
        GTEST_SKIP() << "sanitizer builds link the ASan/UBSan runtimes into pcc; the plain "
                        "build's run of this test checks the shipped link";
    const auto dynamic = tool_output({"/usr/bin/readelf", "-dW", pcc_path()});
    if (dynamic.empty())
        GTEST_SKIP() << "readelf did not run: install binutils (it comes with g++)";
    std::vector<std::string> needed;
    std::istringstream in(dynamic);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find("Shared library: [");
        if (at == std::string::npos) continue;
        const auto start = at + 17;
        const auto name = line.substr(start, line.find(']', start) - start);
        // The dynamic loader itself (the static unwinder asks it for _dl_find_object).
        if (name.rfind("ld-linux", 0) != 0) needed.push_back(name);
    }
    std::sort(needed.begin(), needed.end());
    EXPECT_EQ(needed, (std::vector<std::string>{"libc.so.6", "libz.so.1"})) << dynamic;
}

TEST(PccLink, HasNoIostreamsLocaleFacetsOrCli11) {
    if (sanitized())
        GTEST_SKIP() << "sanitizer builds link the ASan/UBSan runtimes into pcc; the plain "
                        "build's run of this test checks the shipped link";
    const auto symbols = tool_output({"/usr/bin/nm", "-C", pcc_path()});
    if (symbols.empty())
        GTEST_SKIP() << "nm did not run or pcc is stripped: install binutils "
                        "(it comes with g++), test an unstripped build";
    for (const char* symbol :
         {"std::ios_base::Init::Init", "std::locale::_Impl::_Impl",
          "money_get<char, std::istreambuf_iterator<char, std::char_traits<char> > >::do_get",
          "std::basic_ostream<char, std::char_traits<char> >::flush", "CLI::App"}) {
        EXPECT_EQ(symbols.find(symbol), std::string::npos)
            << "pcc links " << symbol
            << ": something it reaches uses iostreams, std::locale or CLI11 (see "
               "docs/architecture.md, \"pcc's command line\")";
    }
    // The check itself must see symbols: pc's own code is there.
    EXPECT_NE(symbols.find("pc::collect::"), std::string::npos);
}

}  // namespace
