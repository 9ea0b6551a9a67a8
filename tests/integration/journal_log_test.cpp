// Under systemd, stderr is a journal stream named by JOURNAL_STREAM: every program then writes
// each line with a syslog priority prefix and no timestamp of its own (journald adds one).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::bin_dir;

// Runs `argv` with JOURNAL_STREAM set to the device and inode of its own stderr, as systemd
// does for a unit with StandardError=journal.
std::vector<std::string> in_journal(std::vector<std::string> argv) {
    std::vector<std::string> out{
        "/bin/sh", "-c",
        R"(JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) && export JOURNAL_STREAM && exec "$@")",
        "sh"};
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

// Every line carries a priority and none a timestamp; returns the lines.
std::vector<std::string> journal_lines(const std::string& err) {
    static const std::regex prefixed(R"(^<[0-7]>\S.*)");
    static const std::regex timestamp(R"(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)");
    std::vector<std::string> lines;
    std::istringstream in(err);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        EXPECT_TRUE(std::regex_match(line, prefixed)) << line;
        EXPECT_FALSE(std::regex_search(line, timestamp)) << line;
        lines.push_back(line);
    }
    EXPECT_FALSE(lines.empty()) << err;
    return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& start) {
    for (const auto& l : lines) {
        if (l.rfind(start, 0) == 0) return true;
    }
    return false;
}

TEST(JournalLog, PccWritesPrioritiesWithoutTimestamps) {
    pc::test::TempDir dir;
    const std::map<std::string, std::string> env{{"PCC_DURATION", "1s"},
                                                 {"PCC_FREQUENCY", "1s"},
                                                 {"PCC_COLLECTION", (dir / "c.json").string()}};
    auto r = pc::test::run(in_journal({(bin_dir() / "pcc").string()}), env, 30s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = journal_lines(r.err);
    EXPECT_TRUE(has_line(lines, "<6>info: pcc ")) << r.err;

    // Outside the journal (a variable inherited by a redirected stderr): the usual format.
    auto plain = pc::test::run({(bin_dir() / "pcc").string()},
                               {{"PCC_DURATION", "1s"},
                                {"PCC_FREQUENCY", "1s"},
                                {"PCC_COLLECTION", (dir / "d.json").string()},
                                {"JOURNAL_STREAM", "1:1"}},
                               30s);
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_TRUE(std::regex_search(
        plain.err, std::regex(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info pcc: )")))
        << plain.err;
    EXPECT_EQ(plain.err.find("<6>"), std::string::npos) << plain.err;
}

TEST(JournalLog, PcdWritesPrioritiesWithoutTimestamps) {
    pc::test::TempDir home;
    pc::test::write_file(home / "apikeys", "");
    pc::test::Child pcd(in_journal({(bin_dir() / "pcd").string()}),
                        {{"PCD_HOME", home.path().string()}, {"PCD_LISTENADDRESS", "127.0.0.1:0"}});
    ASSERT_TRUE(pcd.wait_for_err("<6>info: listening on 127.0.0.1:", 20s)) << pcd.err_so_far();
    pcd.signal(SIGTERM);
    auto r = pcd.wait(20s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    journal_lines(r.err);
}

TEST(JournalLog, PcprocessWritesPrioritiesWithoutTimestamps) {
    pc::test::TempDir dir;
    auto r = pc::test::run(
        in_journal({(bin_dir() / "pcprocess").string()}),
        {{"PCR_COLLECTION",
          (pc::test::source_dir() / "testdata" / "collections" / "synthetic-2cpu.json").string()},
         {"PCR_OUTDIR", (dir / "out").string()}},
        30s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has_line(journal_lines(r.err), "<6>info: processed ")) << r.err;
}

// pcctl's warnings and its final error line (not a log record) both carry their priority.
TEST(JournalLog, PcctlWarningsAndErrorsCarryTheirPriority) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "p.csv", "timestamp,cpu_user\n1767800526,1.5\n");
    auto r = pc::test::run(
        in_journal({(bin_dir() / "pcctl").string(), "upload", (dir / "p.csv").string()}),
        {{"XATBACKEND_URL", "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port())},
         {"XATBACKEND_APIKEY", "journal-test-portal-key"},
         {"XATBACKEND_TENANT_ID", "t"},
         {"MACHINE_ID", "m"},
         {"UPLOAD_RETRY_MAX", "1"},
         {"UPLOAD_RETRY_BASE", "10ms"}},
        30s);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto lines = journal_lines(r.err);
    EXPECT_TRUE(has_line(lines, "<4>warning: upload attempt 1 of 2 failed")) << r.err;
    EXPECT_TRUE(has_line(lines, "<3>pcctl: upload failed")) << r.err;
}

}  // namespace
