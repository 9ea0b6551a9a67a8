// pcc in trickle mode against the real pcd: every tick stored exactly once, byte-equal to local
// mode; a wrong key stores nothing and pcc says so.
#include <gtest/gtest.h>

#include "trickle_support.hpp"

using namespace pc::trickle_it;

TEST(TricklePcd, StoresEveryTickExactlyLikeLocalMode) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    ASSERT_GE(local.size(), 2u) << "pcc local mode produced no reference";

    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 4, pcd.url(), pcd.agent_key);
    env["PCC_BATCH_MAX"] = "2";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_GE(*ticks, 3u);
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
    EXPECT_NE(r.err.find("sampled " + std::to_string(*ticks) + " ticks, delivered " +
                         std::to_string(*ticks) + " to "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("refused by the server 0, failed to spool 0\n"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find(pcd.agent_key), std::string::npos) << "API key in pcc's log";
    EXPECT_EQ(pcd.logs().find(pcd.agent_key), std::string::npos) << "API key in pcd's log";
}

TEST(TricklePcd, UncompressedBodiesStoredTheSame) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 2, pcd.url(), pcd.agent_key);
    env["PCC_COMPRESSION"] = "none";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}

// PCC_SERVER_URL names a server that is down first: pcc moves on to the real pcd and every
// tick is stored there exactly once, as local mode writes it.
TEST(TricklePcd, SeveralServersTheFirstDown) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    const std::string down = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    auto env = trickle_env(work.path(), 3, down + "," + pcd.url(), pcd.agent_key);
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
    EXPECT_NE(r.err.find("sending to " + pcd.url() + " now"), std::string::npos) << r.err;
}

TEST(TricklePcd, WrongKeyIsRefusedAndNothingStored) {
    pc::test::TempDir work;
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    const std::string wrong = "wrong-key-" + pc::keys::generate_api_key();
    auto env = trickle_env(work.path(), 2, pcd.url(), wrong);
    env["PCC_DRAIN_TIMEOUT"] = "2s";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    EXPECT_EQ(r.exit_code, 5) << "a refused key has its own status (docs/pcc.md)\n" << r.err;
    EXPECT_NE(r.err.find("refused PCC_APIKEY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("delivered 0 to"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the server refuses PCC_APIKEY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("remain spooled"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(wrong), std::string::npos) << "API key in pcc's log";
    EXPECT_EQ(pcd.logs().find(wrong), std::string::npos) << "API key in pcd's log";
    EXPECT_EQ(pcd.stored(), "");
}
