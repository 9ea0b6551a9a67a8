// The man pages the .deb installs: generated at build time from each program's --help by
// help2man (cmake/ManPages.cmake, target man_pages), gzip'ed in build/man/.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;

TEST(ManPages, EveryProgramHasOneFromItsHelp) {
    const auto dir = pc::test::bin_dir().parent_path() / "man";
    if (!std::filesystem::exists(dir))
        GTEST_SKIP() << "built without man pages (PC_MAN_PAGES=OFF or no help2man): " << dir;
    const std::vector<std::pair<std::string, std::string>> programs{{"pcc", "PCC_FREQUENCY"},
                                                                    {"pcd", "PCD_LISTENADDRESS"},
                                                                    {"pcprocess", "PCR_COLLECTION"},
                                                                    {"pcctl", "validate"}};
    for (const auto& [program, mention] : programs) {
        const auto page = dir / (program + ".1.gz");
        ASSERT_TRUE(std::filesystem::exists(page)) << page;
        auto r = pc::test::run({"/bin/gzip", "-dc", page.string()}, {}, 20s);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const std::string& roff = r.out;
        EXPECT_NE(roff.find(".TH " +
                            [&] {
                                std::string upper;
                                for (char c : program) upper += static_cast<char>(std::toupper(c));
                                return upper;
                            }() +
                            " \"1\""),
                  std::string::npos)
            << roff.substr(0, 400);
        EXPECT_NE(roff.find(".SH NAME"), std::string::npos) << program;
        EXPECT_NE(roff.find(program + " \\- "), std::string::npos) << roff.substr(0, 600);
        EXPECT_NE(roff.find(mention), std::string::npos) << program << ": " << mention;
        EXPECT_NE(roff.find("\\-\\-help"), std::string::npos) << program;
        if (program == "pcctl") {
            // Every subcommand's options, not only the global ones.
            EXPECT_NE(roff.find(".SS \"pcctl validate\""), std::string::npos);
            EXPECT_NE(roff.find("--strict"), std::string::npos);
            EXPECT_NE(roff.find(".SS \"pcctl apikey generate\""), std::string::npos);
        }
        // The version comes from the binary, not from a help2man failure message.
        EXPECT_EQ(roff.find("help2man: can't"), std::string::npos) << program;
    }
}

}  // namespace
