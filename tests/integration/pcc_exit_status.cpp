// pcc's last line and exit status tell the truth (docs/pcc.md "Exit status"): ticks refused by
// the server, dropped by the spool cap or left in the spool are counted and give a non-zero
// status; PCC_DURATION=0 runs until stopped; PCC_ROTATE cuts a local collection into files that
// are each a collection of their own.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "trickle_support.hpp"

using namespace pc::trickle_it;

namespace {

// The number after `label` in pcc's last line ("refused by the server 2"), or -1.
long counted(const std::string& log, const std::string& label) {
    std::smatch m;
    if (!std::regex_search(log, m, std::regex(label + " ([0-9]+)"))) return -1;
    return std::stol(m[1]);
}

}  // namespace

TEST(PccExitStatus, TicksRefusedAsTooLargeAreCountedAndGiveThree) {
    pc::test::TempDir work;
    Pcd pcd;
    pcd.set_env("PCD_MAXBODY", "512");  // smaller than any tick: every one is refused with 413
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 2, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "10s";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("413"), std::string::npos) << r.err;
    EXPECT_EQ(counted(r.err, "sampled"), 2) << r.err;
    EXPECT_EQ(counted(r.err, "delivered"), 0) << r.err;
    EXPECT_EQ(counted(r.err, "refused by the server"), 2) << r.err;
    EXPECT_EQ(r.err.find("every tick delivered"), std::string::npos) << r.err;
    EXPECT_EQ(pcd.stored(), "");
}

TEST(PccExitStatus, TicksDroppedByTheSpoolCapAreCountedAndGiveThree) {
    pc::test::TempDir work;
    // Nothing listens on this port: every tick waits in a spool capped at 64KiB (the minimum),
    // about ten ticks of the recorded tree.
    const std::string url = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    auto env = trickle_env(work.path(), 16, url, "some-key-0123456789");
    env["PCC_SPOOL_MAX"] = "64KiB";
    env["PCC_DRAIN_TIMEOUT"] = "0s";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ(counted(r.err, "sampled"), 16) << r.err;
    const long dropped = counted(r.err, "dropped by the spool cap");
    EXPECT_GT(dropped, 0) << r.err;
    EXPECT_NE(r.err.find("; " + std::to_string(16 - dropped) + " ticks remain spooled"),
              std::string::npos)
        << r.err;
}

TEST(PccExitStatus, EveryTickDeliveredGivesZero) {
    pc::test::TempDir work;
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 2, pcd.url(), pcd.agent_key);
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("sampled 2 ticks, delivered 2 to " + pcd.url() +
                         ", dropped by the spool cap 0, refused by the server 0, failed to "
                         "spool 0\n"),
              std::string::npos)
        << r.err;
}

TEST(PccService, DurationZeroRunsUntilSigtermThenExitsZero) {
    pc::test::TempDir work;
    auto env = pcc_env(work.path(), 0);
    env["PCC_MODE"] = "local";
    auto pcc = start_pcc(env);
    ASSERT_TRUE(pcc->wait_for_err("collecting until stopped", 10s)) << pcc->err_so_far();
    ASSERT_TRUE(wait_until(
        [&] { return split_ticks(pc::test::read_file(work / "pcc.json")).size() >= 3; }, 20s))
        << pcc->err_so_far();
    pcc->signal(SIGTERM);
    const auto r = pcc->wait(20s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("stopped by signal after"), std::string::npos) << r.err;
    EXPECT_EQ(counted(r.err, "sampled"), counted(r.err, "wrote")) << r.err;
}

TEST(PccService, RotationBySizeLeavesCollectionsPcprocessReads) {
    pc::test::TempDir work;
    auto env = pcc_env(work.path(), 4);
    env["PCC_MODE"] = "local";
    env["PCC_ROTATE"] = "4KiB";  // under one tick of the recorded tree: a file per tick
    env["PCC_KEEP"] = "2";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<fs::path> rotated;
    for (const auto& entry : fs::directory_iterator(work.path()))
        if (entry.path().filename().string().rfind("pcc-", 0) == 0) rotated.push_back(entry.path());
    EXPECT_EQ(rotated.size(), 2u) << r.err;  // 3 rotations, PCC_KEEP=2
    rotated.push_back(work / "pcc.json");
    for (const auto& file : rotated) {
        const auto ticks = split_ticks(pc::test::read_file(file));
        ASSERT_EQ(ticks.size(), 1u) << file;
        EXPECT_NE(ticks[0].lines[0].find("\"subsystem\":\"/proc/cpuinfo\""), std::string::npos)
            << file;
        const auto out = work / ("out-" + file.stem().string());
        const auto p = pc::test::run({(pc::test::bin_dir() / "pcprocess").string(), "--collection",
                                      file.string(), "--outdir", out.string()},
                                     {}, 30s);
        EXPECT_EQ(p.exit_code, 0) << file << ": " << p.err;
    }
}
