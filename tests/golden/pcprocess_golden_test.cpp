// pcprocess --compat perfcollector2 against the original's real outputs, byte for byte, and the
// default mode's promises that can be checked on the same real collections.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::test::read_file;

namespace {

const char* kSkip = "shared golden data not found (../shared/testdata/golden; set PC_SHARED_DIR)";

std::set<std::string> files_under(const fs::path& root) {
    std::set<std::string> out;
    if (!fs::exists(root)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file()) out.insert(fs::relative(e.path(), root).string());
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

// Rows grouped by their timestamp (first column), groups in file order.
std::vector<std::pair<std::string, std::multiset<std::string>>> groups_of(
    const std::vector<std::string>& rows) {
    std::vector<std::pair<std::string, std::multiset<std::string>>> out;
    for (const auto& r : rows) {
        std::string ts = r.substr(0, r.find(','));
        if (out.empty() || out.back().first != ts) out.push_back({ts, {}});
        out.back().second.insert(r);
    }
    return out;
}

std::vector<fs::path> cases_with_expected() {
    std::vector<fs::path> out;
    auto golden = pc::test::golden_dir();
    if (!golden) return out;
    for (const auto& e : fs::directory_iterator(*golden)) {
        if (fs::exists(e.path() / "expected") && fs::exists(e.path() / "collection.json")) {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

pc::test::ProcessResult process(const fs::path& collection, const fs::path& outdir,
                                std::vector<std::string> extra) {
    std::vector<std::string> argv = {(pc::test::bin_dir() / "pcprocess").string(), "--collection",
                                     collection.string(), "--outdir", outdir.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return pc::test::run(argv);
}

// Compares one output tree with the original's, file by file, byte for byte; proc/net/dev rows
// as a set per timestamp (the original's order within a timestamp is random).
void expect_same_tree(const fs::path& expected, const fs::path& got, const std::string& name) {
    ASSERT_EQ(files_under(expected), files_under(got)) << name;
    for (const auto& rel : files_under(expected)) {
        std::string want = read_file(expected / rel);
        std::string have = read_file(got / rel);
        if (rel != "proc/net/dev") {
            if (want == have) continue;
            auto wl = lines_of(want), hl = lines_of(have);
            for (std::size_t i = 0; i < std::min(wl.size(), hl.size()); ++i) {
                ASSERT_EQ(wl[i], hl[i]) << name << " " << rel << " line " << i + 1;
            }
            ASSERT_EQ(wl.size(), hl.size()) << name << " " << rel;
            ASSERT_EQ(want, have) << name << " " << rel << " (line endings)";
            continue;
        }
        ASSERT_FALSE(have.empty()) << name;
        ASSERT_EQ(have.back(), '\n') << name;
        auto wl = lines_of(want), hl = lines_of(have);
        ASSERT_FALSE(wl.empty());
        ASSERT_FALSE(hl.empty());
        EXPECT_EQ(wl.front(), hl.front()) << name << " net/dev header";
        auto wg = groups_of({wl.begin() + 1, wl.end()});
        auto hg = groups_of({hl.begin() + 1, hl.end()});
        ASSERT_EQ(wg.size(), hg.size()) << name << " net/dev timestamps";
        for (std::size_t i = 0; i < wg.size(); ++i) {
            ASSERT_EQ(wg[i].first, hg[i].first) << name << " net/dev group " << i;
            ASSERT_EQ(wg[i].second, hg[i].second) << name << " net/dev at " << wg[i].first;
        }
    }
}

}  // namespace

TEST(PcprocessGolden, CompatMatchesEveryCaseExactly) {
    auto cases = cases_with_expected();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    EXPECT_GE(cases.size(), 6u);
    for (const auto& c : cases) {
        pc::test::TempDir out;
        auto r = process(c / "collection.json", out.path(),
                         {"--compat", "perfcollector2", "--formats", "sar"});
        ASSERT_EQ(r.exit_code, 0) << c << "\n" << r.err;
        expect_same_tree(c / "expected", out.path(), c.filename().string());
    }
}

TEST(PcprocessGolden, CompatThroughEnvironmentAndGzipStdinIsIdentical) {
    auto cases = cases_with_expected();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    const fs::path c = cases.front();
    pc::test::TempDir tmp;
    // gzip through the gzip tool so the input is a real .gz file read from stdin.
    auto gz = tmp / "collection.json.gz";
    ASSERT_EQ(
        std::system(
            ("gzip -c '" + (c / "collection.json").string() + "' > '" + gz.string() + "'").c_str()),
        0);
    auto r = pc::test::run({(pc::test::bin_dir() / "pcprocess").string()},
                           {{"PCR_COLLECTION", "-"},
                            {"PCR_OUTDIR", (tmp / "out").string()},
                            {"PCR_COMPAT", "perfcollector2"},
                            {"PCR_FORMATS", "sar"}},
                           std::chrono::seconds(60), read_file(gz));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_tree(c / "expected", tmp / "out", c.filename().string() + " (gzip stdin)");
}

// The original aborted on container records (an empty file); we write containers.csv and
// nothing else: no host file, no "unknown subsystems" warning.
TEST(PcprocessGolden, ContainersCollectionGivesOnlyContainersCsv) {
    auto golden = pc::test::golden_dir();
    if (!golden || !fs::exists(*golden / "containers" / "collection.json")) GTEST_SKIP() << kSkip;
    for (std::string mode : {"perfcollector2", ""}) {
        pc::test::TempDir out;
        auto r =
            process(*golden / "containers" / "collection.json", out.path(), {"--compat", mode});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.err.find("unknown subsystems"), std::string::npos) << r.err;
        EXPECT_EQ(files_under(out.path()), std::set<std::string>{"containers.csv"}) << mode;
    }
}

TEST(PcprocessGolden, CollectionWithoutExpectedIsSelfConsistent) {
    auto golden = pc::test::golden_dir();
    if (!golden || !fs::exists(*golden / "f2s-v2" / "collection.json")) GTEST_SKIP() << kSkip;
    pc::test::TempDir out;
    auto r = process(*golden / "f2s-v2" / "collection.json", out.path(),
                     {"--compat", "perfcollector2", "--formats", "sar"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 131 ticks -> 129 timestamps in every file (record 1 baseline, record 2 header only).
    for (const char* rel :
         {"proc/stat", "proc/meminfo", "proc/net/dev", "proc/diskstats", "statfs_ALL"}) {
        auto rows = lines_of(read_file(out.path() / rel));
        ASSERT_FALSE(rows.empty()) << rel;
        EXPECT_EQ(groups_of({rows.begin() + 1, rows.end()}).size(), 129u) << rel;
    }
}

// Default mode: from the third row group on, the same timestamps and, where no interval enters
// (CPU %, memory, filesystems), the same values as compat mode; one more group at the start.
namespace {

std::vector<std::string> fields_of(const std::string& row) {
    std::vector<std::string> f;
    std::stringstream in(row);
    for (std::string cell; std::getline(in, cell, ',');) f.push_back(cell);
    return f;
}

std::string two_decimals(const std::string& go_value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", std::stod(go_value));
    return buf;
}

}  // namespace

// On the original's real collections, default mode has the same files, headers (diskstats plus
// sar -d's four columns) and row timestamps as compat mode from its third tick on; where the
// formula is the same (memory, filesystems, %usr %nice %iowait %steal) the values are compat
// mode's with two decimals; %system adds irq and softirq, so the six CPU columns sum to 100.
TEST(PcprocessGolden, DefaultModeAgreesWithCompatWhereTheFormulaIsTheSame) {
    auto cases = cases_with_expected();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    for (const auto& c : cases) {
        pc::test::TempDir out;
        auto r = process(c / "collection.json", out.path(), {"--formats", "sar"});
        ASSERT_EQ(r.exit_code, 0) << c << "\n" << r.err;
        for (const char* rel :
             {"proc/stat", "proc/meminfo", "statfs_ALL", "proc/net/dev", "proc/diskstats"}) {
            const std::string file = rel;
            auto want = lines_of(read_file(c / "expected" / rel));
            auto have = lines_of(read_file(out.path() / rel));
            const std::string extra = file == "proc/diskstats" ? ",aqu-sz,areq-sz,await,%util" : "";
            ASSERT_EQ(want.front() + extra, have.front()) << c << rel;
            auto wg = groups_of({want.begin() + 1, want.end()});
            auto hg = groups_of({have.begin() + 1, have.end()});
            ASSERT_EQ(hg.size(), wg.size() + 1) << c << rel;
            for (std::size_t i = 1; i < wg.size(); ++i) {
                ASSERT_EQ(hg[i + 1].first, wg[i].first) << c << rel;
                if (file == "proc/net/dev" || file == "proc/diskstats") continue;  // rates differ
                ASSERT_EQ(hg[i + 1].second.size(), wg[i].second.size()) << c << rel;
                auto w = wg[i].second.begin();
                for (const auto& row : hg[i + 1].second) {
                    auto hf = fields_of(row);
                    auto wf = fields_of(*w++);
                    ASSERT_EQ(hf.size(), wf.size()) << row;
                    if (file == "statfs_ALL") {
                        EXPECT_EQ(hf, wf);
                    } else if (file == "proc/meminfo") {
                        for (std::size_t k = 0; k < hf.size(); ++k) {
                            EXPECT_EQ(hf[k], k == 4 || k == 8 ? two_decimals(wf[k]) : wf[k]) << row;
                        }
                    } else {
                        // ts,CPU,%usr,%nice,%system,%iowait,%steal,%idle: compat divides by 100
                        // first, so its last bit may round the other way.
                        double sum = 0;
                        for (std::size_t k = 2; k < hf.size(); ++k) sum += std::stod(hf[k]);
                        EXPECT_NEAR(sum, 100, 0.031) << row;
                        for (std::size_t k : {2, 3, 5, 6}) {
                            EXPECT_NEAR(std::stod(hf[k]), std::stod(wf[k]), 0.0101) << row;
                        }
                        EXPECT_GE(std::stod(hf[4]) + 0.0101, std::stod(wf[4])) << row;
                    }
                }
            }
        }
    }
}
