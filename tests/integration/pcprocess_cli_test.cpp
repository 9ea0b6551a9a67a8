// pcprocess as a user runs it: environment and flags, stdin, gzip, errors, atomic replacement,
// --strict, the summary warning.
#include <gtest/gtest.h>

#include <filesystem>

#include "collection_builder.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace pc::test;

namespace {

std::string pcprocess() {
    return (bin_dir() / "pcprocess").string();
}

// Three ticks of meminfo and net/dev; eth0's packet counter goes backwards at the 3rd.
std::string small_collection() {
    std::string c;
    std::uint64_t rx[] = {100, 200, 50};
    for (int i = 0; i < 3; ++i) {
        c += line(100 + i, "/proc/meminfo", meminfo_text(1000, 250, 500));
        c += line(100 + i, "/proc/net/dev", net_dev_text({{"eth0", 0, rx[i], 0, 0}}));
    }
    return c;
}

std::set<std::string> files_under(const fs::path& root) {
    std::set<std::string> out;
    if (!fs::exists(root)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file()) out.insert(fs::relative(e.path(), root).string());
    }
    return out;
}

const std::set<std::string> kSmallTree = {"perf.csv", "proc/meminfo", "proc/net/dev"};

}  // namespace

TEST(PcprocessCli, EnvironmentVariablesAndStdin) {
    TempDir d;
    auto r =
        run({pcprocess()}, {{"PCR_COLLECTION", "-"}, {"PCR_OUTDIR", (d / "new" / "out").string()}},
            std::chrono::seconds(30), small_collection());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(files_under(d / "new" / "out"), kSmallTree);  // PCR_OUTDIR created with parents
    // machine_id of stdin input.
    EXPECT_NE(read_file(d / "new" / "out" / "perf.csv").find("\n101,stdin,"), std::string::npos);
    // 101: 100 packets/s; 102: counter went backwards -> left out, summarised in one line.
    EXPECT_EQ(read_file(d / "new" / "out" / "proc" / "net" / "dev"),
              "#timestamp,IFACE,rxpck/s,txpck/s,rxkB/s,txkB/s,rxcmp/s,txcmp/s,rxmcst/s,%ifutil\n"
              "101,eth0,100.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\n");  // two decimals, as sar
    EXPECT_NE(r.err.find("1 row left out because a counter went backwards"), std::string::npos)
        << r.err;
}

TEST(PcprocessCli, GzipInputGivesTheSameOutput) {
    TempDir d;
    write_file(d / "web-01.json", small_collection());
    ASSERT_EQ(std::system(("gzip -k '" + (d / "web-01.json").string() + "'").c_str()), 0);
    auto plain = run({pcprocess(), "--collection", (d / "web-01.json").string(), "--outdir",
                      (d / "plain").string()});
    auto gz = run({pcprocess(), "--collection", (d / "web-01.json.gz").string(), "--outdir",
                   (d / "gz").string()});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    ASSERT_EQ(gz.exit_code, 0) << gz.err;
    for (const auto& f : kSmallTree)
        EXPECT_EQ(read_file(d / "plain" / f), read_file(d / "gz" / f)) << f;
    // machine_id = base name without extensions.
    EXPECT_NE(read_file(d / "gz" / "perf.csv").find("\n101,web-01,"), std::string::npos);
}

TEST(PcprocessCli, OriginalFlagSpellingsAndFormats) {
    TempDir d;
    write_file(d / "c.json", small_collection());
    auto r = run({pcprocess(), "-collection", (d / "c.json").string(),
                  "-outdir=" + (d / "o").string(), "--formats", "wide", "--machine-id", "db-7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(files_under(d / "o"), std::set<std::string>{"perf.csv"});
    EXPECT_NE(read_file(d / "o" / "perf.csv").find("\n101,db-7,"), std::string::npos);
    auto bad = run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir",
                    (d / "o2").string(), "--formats", "xml"});
    EXPECT_EQ(bad.exit_code, 2);  // a usage error
    EXPECT_EQ(bad.err,
              "pcprocess: --formats: unknown output format 'xml'; use a comma-separated list of "
              "sar, wide, html, e.g. --formats sar,wide\n");
    // The same mistake in the variable names the variable.
    auto from_env =
        run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir", (d / "o3").string()},
            {{"PCR_FORMATS", "xml"}});
    EXPECT_EQ(from_env.exit_code, 2);
    EXPECT_EQ(from_env.err.rfind("pcprocess: PCR_FORMATS: unknown output format 'xml'", 0), 0u)
        << from_env.err;
}

TEST(PcprocessCli, HtmlFormatWritesOneSelfContainedReport) {
    TempDir d;
    write_file(d / "c.json", small_collection());
    auto r = run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir",
                  (d / "o").string(), "--formats", "html", "--machine-id", "db-7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(files_under(d / "o"), std::set<std::string>{"report.html"});
    const std::string page = read_file(d / "o" / "report.html");
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("<title>perfcollector report: db-7</title>"), std::string::npos);
    EXPECT_NE(page.find(", default mode<"), std::string::npos);
    EXPECT_NE(page.find("Dygraph.synchronize"), std::string::npos);
    // With the other formats, from the variable.
    auto all = run(
        {pcprocess(), "--collection", (d / "c.json").string(), "--outdir", (d / "all").string()},
        {{"PCR_FORMATS", "sar,wide,html"}});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    auto expected = kSmallTree;
    expected.insert("report.html");
    EXPECT_EQ(files_under(d / "all"), expected);
}

TEST(PcprocessCli, AnEmptyOrNonJsonFileIsAnErrorAndWritesNothing) {
    TempDir d;
    write_file(d / "empty.json", "");
    auto empty = run(
        {pcprocess(), "--collection", (d / "empty.json").string(), "--outdir", (d / "a").string()});
    EXPECT_EQ(empty.exit_code, 1);
    EXPECT_NE(empty.err.find("empty.json is empty; nothing written"), std::string::npos)
        << empty.err;
    EXPECT_TRUE(files_under(d / "a").empty());

    write_file(d / "notes.txt", "hello\nthis is not a collection\n");
    auto text = run(
        {pcprocess(), "--collection", (d / "notes.txt").string(), "--outdir", (d / "b").string()});
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_NE(text.err.find("notes.txt has no collection record in its 2 line(s)"),
              std::string::npos)
        << text.err;
    EXPECT_EQ(text.err.find("processed"), std::string::npos) << text.err;
    EXPECT_TRUE(files_under(d / "b").empty());
}

TEST(PcprocessCli, CommandLineMistakesAreOneUsageLine) {
    auto conversion = run({pcprocess(), "--no-such-flag"});
    EXPECT_EQ(conversion.exit_code, 2);
    EXPECT_EQ(std::count(conversion.err.begin(), conversion.err.end(), '\n'), 1) << conversion.err;
    EXPECT_EQ(conversion.err.rfind("pcprocess: unexpected argument --no-such-flag", 0), 0u)
        << conversion.err;
    auto missing = run({pcprocess(), "--collection"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_EQ(missing.err.rfind("pcprocess: --collection", 0), 0u) << missing.err;
    EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

TEST(PcprocessCli, MissingCollectionIsAOneLineError) {
    TempDir d;
    auto r = run({pcprocess(), "--collection", (d / "nope.json").string(), "--outdir",
                  (d / "out").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nope.json"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(d / "out"));
    auto none = run({pcprocess()}, {{"PCR_OUTDIR", (d / "out").string()}});
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("PCR_COLLECTION"), std::string::npos) << none.err;
}

TEST(PcprocessCli, FailedRunLeavesPreviousOutputsUntouched) {
    TempDir d;
    fs::create_directories(d / "out" / "proc");
    write_file(d / "out" / "proc" / "meminfo", "previous run\n");
    std::string c = small_collection() + "not json at all\n";  // line 7
    write_file(d / "c.json", c);
    auto strict = run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir",
                       (d / "out").string(), "--strict"});
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_NE(strict.err.find("line 7"), std::string::npos) << strict.err;
    EXPECT_EQ(read_file(d / "out" / "proc" / "meminfo"), "previous run\n");
    // No temp files, nothing else.
    EXPECT_EQ(files_under(d / "out"), std::set<std::string>{"proc/meminfo"});

    auto lenient = run(
        {pcprocess(), "--collection", (d / "c.json").string(), "--outdir", (d / "out").string()});
    ASSERT_EQ(lenient.exit_code, 0) << lenient.err;
    EXPECT_NE(lenient.err.find("line 7: malformed collection line"), std::string::npos)
        << lenient.err;
    EXPECT_EQ(files_under(d / "out"), kSmallTree);
    EXPECT_EQ(read_file(d / "out" / "proc" / "meminfo").substr(0, 10), "#timestamp");
}

TEST(PcprocessCli, TruncatedLastLine) {
    TempDir d;
    write_file(d / "c.json", small_collection() + "{\"timestamp\":103,\"subsystem\":\"/pr");
    auto lenient =
        run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir", (d / "a").string()});
    EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
    EXPECT_NE(lenient.err.find("truncated"), std::string::npos) << lenient.err;
    auto strict =
        run({pcprocess(), "--collection", (d / "c.json").string(), "--outdir", (d / "b").string()},
            {{"PCR_STRICT", "1"}});
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_NE(strict.err.find("line 7"), std::string::npos) << strict.err;
    EXPECT_TRUE(files_under(d / "b").empty());
}

TEST(PcprocessCli, HelpDocumentsEveryVariable) {
    auto r = run({pcprocess(), "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* v : {"PCR_COLLECTION", "PCR_OUTDIR", "PCR_COMPAT", "PCR_FORMATS",
                          "PCR_MACHINE_ID", "PCR_STRICT", "PCR_LOGLEVEL", "-collection"}) {
        EXPECT_NE(r.out.find(v), std::string::npos) << v;
    }
    auto ver = run({pcprocess(), "--version"});
    EXPECT_EQ(ver.exit_code, 0);
    EXPECT_NE(ver.out.find("pcprocess"), std::string::npos);
}

// The sample collection in testdata/: the whole tree in both modes, default one group longer;
// compat mode leaves perf.csv out unless PCR_FORMATS asks for it.
TEST(PcprocessCli, SampleCollectionInBothModes) {
    TempDir d;
    auto sample = source_dir() / "testdata" / "collections" / "synthetic-2cpu.json";
    auto def =
        run({pcprocess(), "--collection", sample.string(), "--outdir", (d / "def").string()});
    auto compat = run({pcprocess(), "--collection", sample.string(), "--outdir",
                       (d / "compat").string(), "--compat", "perfcollector2"});
    ASSERT_EQ(def.exit_code, 0) << def.err;
    ASSERT_EQ(compat.exit_code, 0) << compat.err;
    const std::set<std::string> tree = {"perf.csv",        "proc/diskstats", "proc/meminfo",
                                        "proc/net/dev",    "proc/stat",      "statfs_ALL",
                                        "system_info.json"};
    EXPECT_EQ(files_under(d / "def"), tree);
    // Compat mode writes the original's files only, unless perf.csv is asked for.
    auto original_tree = tree;
    original_tree.erase("perf.csv");
    EXPECT_EQ(files_under(d / "compat"), original_tree);
    auto compat_wide = run({pcprocess(), "--collection", sample.string(), "--outdir",
                            (d / "compat-wide").string(), "--compat", "perfcollector2"},
                           {{"PCR_FORMATS", "sar,wide"}});
    ASSERT_EQ(compat_wide.exit_code, 0) << compat_wide.err;
    EXPECT_EQ(files_under(d / "compat-wide"), tree);
    // 6 ticks: default rows at ticks 1..5 (5 lines + header), compat at 2..5 (4 + header).
    auto count = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
    EXPECT_EQ(count(read_file(d / "def" / "proc" / "meminfo")), 6);
    EXPECT_EQ(count(read_file(d / "compat" / "proc" / "meminfo")), 5);
    EXPECT_EQ(read_file(d / "def" / "system_info.json"),
              read_file(d / "compat" / "system_info.json"));
}
