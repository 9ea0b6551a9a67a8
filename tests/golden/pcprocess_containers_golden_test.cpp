// containers.csv against the portal converter's real outputs (../shared/testdata/
// golden-containers): byte for byte in compat mode, from a file and from standard input; the
// default mode's documented differences on the same runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::test::read_file;

namespace {

const char* kSkip =
    "shared container runs not found (../shared/testdata/golden-containers; set PC_SHARED_DIR)";

std::vector<fs::path> runs() {
    std::vector<fs::path> out;
    auto shared = pc::test::shared_dir();
    if (!shared) return out;
    fs::path root = *shared / "testdata" / "golden-containers";
    if (!fs::exists(root)) return out;
    for (const auto& e : fs::directory_iterator(root)) {
        if (fs::exists(e.path() / "collection.json") && fs::exists(e.path() / "containers.csv")) {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path pcprocess() {
    return pc::test::bin_dir() / "pcprocess";
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find("\r\n", pos);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(pos, end - pos));
        pos = end + 2;
    }
    return out;
}

// First differing line, for a readable failure instead of two 100 kB strings.
void expect_same(const std::string& want, const std::string& have, const std::string& what) {
    if (want == have) return;
    auto wl = lines_of(want), hl = lines_of(have);
    for (std::size_t i = 0; i < std::min(wl.size(), hl.size()); ++i) {
        ASSERT_EQ(wl[i], hl[i]) << what << " line " << i + 1;
    }
    ASSERT_EQ(wl.size(), hl.size()) << what;
    ASSERT_EQ(want, have) << what << " (line endings)";
}

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        std::size_t comma = line.find(',', pos);
        out.push_back(line.substr(pos, comma - pos));
        if (comma == std::string::npos) return out;
        pos = comma + 1;
    }
}

}  // namespace

TEST(ContainersGolden, CompatIsByteIdenticalFromAFile) {
    auto cases = runs();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    EXPECT_EQ(cases.size(), 2u);
    for (const auto& c : cases) {
        pc::test::TempDir out;
        auto r =
            pc::test::run({pcprocess().string(), "--collection", (c / "collection.json").string(),
                           "--outdir", out.path().string(), "--compat", "perfcollector2",
                           "--container-names", (c / "container_names.json").string()});
        ASSERT_EQ(r.exit_code, 0) << c << "\n" << r.err;
        EXPECT_EQ(r.err.find("unknown subsystems"), std::string::npos) << r.err;
        expect_same(read_file(c / "containers.csv"), read_file(out.path() / "containers.csv"),
                    c.filename().string());
        // Container records leave the host files alone: nothing else is written.
        std::vector<std::string> files;
        for (const auto& e : fs::recursive_directory_iterator(out.path())) {
            files.push_back(e.path().filename().string());
        }
        EXPECT_EQ(files, std::vector<std::string>{"containers.csv"});
    }
}

TEST(ContainersGolden, CompatIsByteIdenticalFromStdinThroughTheEnvironment) {
    auto cases = runs();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    for (const auto& c : cases) {
        pc::test::TempDir out;
        auto r = pc::test::run({pcprocess().string()},
                               {{"PCR_COLLECTION", "-"},
                                {"PCR_OUTDIR", out.path().string()},
                                {"PCR_COMPAT", "perfcollector2"},
                                {"PCR_CONTAINER_NAMES", (c / "container_names.json").string()}},
                               std::chrono::seconds(60), read_file(c / "collection.json"));
        ASSERT_EQ(r.exit_code, 0) << c << "\n" << r.err;
        expect_same(read_file(c / "containers.csv"), read_file(out.path() / "containers.csv"),
                    c.filename().string() + " (stdin)");
    }
}

// Without a names file, every name is the id's first 12 characters (the records' names are
// empty in the original's collections); everything else is unchanged.
TEST(ContainersGolden, WithoutNamesTheShortIdIsTheName) {
    auto cases = runs();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    const fs::path c = cases.front();
    pc::test::TempDir out;
    auto r = pc::test::run({pcprocess().string(), "--collection", (c / "collection.json").string(),
                            "--outdir", out.path().string(), "--compat", "perfcollector2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto want = lines_of(read_file(c / "containers.csv"));
    auto have = lines_of(read_file(out.path() / "containers.csv"));
    ASSERT_EQ(want.size(), have.size());
    EXPECT_EQ(want[0], have[0]);
    for (std::size_t i = 1; i < want.size(); ++i) {
        auto w = cells(want[i]), h = cells(have[i]);
        ASSERT_EQ(h.size(), 15u);
        EXPECT_EQ(h[2], h[1].substr(0, 12)) << i;
        w[2] = h[2];
        EXPECT_EQ(w, h) << "line " << i + 1;
    }
}

// Default mode: the same file wherever the converter is right. These runs have limits on every
// container, no restart and no host records (so no CPU cap): no line differs.
TEST(ContainersGolden, DefaultModeAgreesWhereTheConverterIsRight) {
    auto cases = runs();
    if (cases.empty()) GTEST_SKIP() << kSkip;
    for (const auto& c : cases) {
        pc::test::TempDir out;
        auto r = pc::test::run({pcprocess().string(), "--collection",
                                (c / "collection.json").string(), "--outdir", out.path().string(),
                                "--container-names", (c / "container_names.json").string()});
        ASSERT_EQ(r.exit_code, 0) << c << "\n" << r.err;
        expect_same(read_file(c / "containers.csv"), read_file(out.path() / "containers.csv"),
                    c.filename().string() + " (default mode)");
    }
}
