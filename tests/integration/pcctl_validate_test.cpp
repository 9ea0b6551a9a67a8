// pcctl validate: report, exit statuses and JSON on real and damaged collections.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pcctl_fixture.hpp"

namespace {

using pc::test::pcctl;

std::filesystem::path sample() {
    return pc::test::source_dir() / "testdata/collections/synthetic-2cpu.json";
}

TEST(PcctlValidate, CleanCollectionExitsZero) {
    auto r = pcctl({"validate", sample().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("verdict: OK"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("/proc/stat"), std::string::npos) << r.out;
    r = pcctl({"validate", "--json", sample().string()});
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["corrupt"], false);
    EXPECT_EQ(j["ticks"], 6);  // 36 lines of 6 subsystems
    EXPECT_EQ(j["records"], 36);
}

// Issue 17: a healthy collection from our own pcc (cpuinfo in the first tick only, two runs
// appended to one file) passes --strict without a warning.
TEST(PcctlValidate, PccCollectionPassesStrict) {
    using namespace std::chrono_literals;
    pc::test::TempDir dir;
    const auto file = dir / "pcc.json";
    for (int run = 0; run < 2; ++run) {
        auto r = pc::test::run(
            {(pc::test::bin_dir() / "pcc").string()},
            {{"PCC_DURATION", "2s"}, {"PCC_FREQUENCY", "1s"}, {"PCC_COLLECTION", file.string()}},
            60s);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto r = pcctl({"validate", "--strict", "--frequency", "1s", file.string()});
    // Two runs leave a gap between them when the second starts more than a second later.
    const bool gap_between_runs = r.out.find("gaps: none") == std::string::npos;
    if (!gap_between_runs) {
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        EXPECT_NE(r.out.find("verdict: OK\n"), std::string::npos) << r.out;
    }
    EXPECT_NE(r.out.find("incomplete ticks: none"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("/proc/cpuinfo  2/4"), std::string::npos) << r.out;
}

TEST(PcctlValidate, DamagedCollectionExitsTwoWithLineNumbers) {
    pc::test::TempDir dir;
    auto text = pc::test::read_file(sample());
    // Line 8 garbled; the last line cut mid-write; tick 3 (lines 13..18) appended again.
    std::vector<std::string> lines;
    for (std::size_t p = 0; p < text.size();) {
        auto nl = text.find('\n', p);
        lines.push_back(text.substr(p, nl - p + 1));
        p = nl + 1;
    }
    ASSERT_EQ(lines.size(), 36u);
    std::string damaged;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        damaged += i == 7 ? std::string("{\"timestamp\":\n") : lines[i];
    }
    for (std::size_t i = 12; i < 18; ++i) damaged += lines[i];
    damaged += lines[35].substr(0, 40);
    auto file = dir / "damaged.json";
    pc::test::write_file(file, damaged);

    auto r = pcctl({"validate", file.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("line 8: malformed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("line 43: truncated"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("duplicate ticks: 1"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("CORRUPT"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

    r = pcctl({"validate", "-", "--json"}, {}, damaged);
    EXPECT_EQ(r.exit_code, 2);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["corrupt"], true);
    EXPECT_EQ(j["line_problems"]["count"], 2);
    EXPECT_EQ(j["duplicate_ticks"]["examples"][0]["line"], 37);
}

TEST(PcctlValidate, GapsAreWarningsUnlessStrict) {
    pc::test::TempDir dir;
    std::string text = pc::test::synthetic_collection(5, 1000) +
                       pc::test::synthetic_collection(5, 1100);  // 20 s .. 100 s: a gap
    auto file = dir / "gap.json";
    pc::test::write_file(file, text);
    auto r = pcctl({"validate", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("gaps: 1 (15 ticks missing)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("OK with warnings"), std::string::npos) << r.out;
    r = pcctl({"validate", file.string(), "--strict"});
    EXPECT_EQ(r.exit_code, 2);
}

TEST(PcctlValidate, EmptyAndMissingFiles) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "empty.json", "");
    auto r = pcctl({"validate", (dir / "empty.json").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("EMPTY"), std::string::npos) << r.err;
    r = pcctl({"validate", (dir / "missing.json").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
}

TEST(PcctlValidate, OriginalCollectionsAreClean) {
    auto golden = pc::test::golden_dir();
    if (!golden) GTEST_SKIP() << "../shared/testdata/golden not present (set PC_SHARED_DIR)";
    int seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*golden)) {
        auto file = entry.path() / "collection.json";
        if (!std::filesystem::exists(file)) continue;
        ++seen;
        auto r = pcctl({"validate", "--json", file.string()});
        EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["line_problems"]["count"], 0) << file;
        EXPECT_GT(j["ticks"].get<int>(), 0) << file;
    }
    EXPECT_GT(seen, 0);
}

}  // namespace
