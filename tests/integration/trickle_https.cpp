// Trickle over HTTPS to pcd with a self-signed certificate made by the openssl CLI.
#include <gtest/gtest.h>

#include "trickle_support.hpp"

using namespace pc::trickle_it;

TEST(TrickleHttps, SelfSignedCertificateTrustedThroughCaFile) {
    pc::test::TempDir work;
    if (!make_self_signed(work / "cert.pem", work / "key.pem"))
        GTEST_SKIP() << "openssl CLI not available (scripts/setup installs it)";
    const auto local = local_reference(work / "local");
    Pcd pcd;
    pcd.use_tls(work / "cert.pem", work / "key.pem");
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work / "agent", 3, pcd.url(), pcd.agent_key);
    env["PCC_CAFILE"] = (work / "cert.pem").string();
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}

TEST(TrickleHttps, UntrustedCertificateRefusedNothingSent) {
    pc::test::TempDir work;
    if (!make_self_signed(work / "cert.pem", work / "key.pem"))
        GTEST_SKIP() << "openssl CLI not available (scripts/setup installs it)";
    Pcd pcd;
    pcd.use_tls(work / "cert.pem", work / "key.pem");
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work / "agent", 2, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "1s";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    EXPECT_EQ(r.exit_code, 4) << r.err;  // nothing lost: every tick waits in the spool
    EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("remain spooled"), std::string::npos) << r.err;
    EXPECT_EQ(pcd.stored(), "");
}
