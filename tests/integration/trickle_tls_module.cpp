// pcc with a TLS module that is not the real one (tests/integration/fake_tls): one that fails
// inside every request, and one of another build. pcc installed as <prefix>/bin/pcc finds
// <prefix>/lib/perfcollector/libpc_tls.so, so each test builds such a prefix around a copy.
#include <gtest/gtest.h>

#include "trickle_support.hpp"

using namespace pc::trickle_it;

namespace {

// <dir>/bin/pcc and <dir>/lib/perfcollector/libpc_tls.so (the given module); returns pcc.
fs::path prefix_with_module(const fs::path& dir, const fs::path& module) {
    fs::create_directories(dir / "bin");
    fs::create_directories(dir / "lib/perfcollector");
    fs::copy_file(pc::test::bin_dir() / "pcc", dir / "bin/pcc");
    fs::copy_file(module, dir / "lib/perfcollector/libpc_tls.so");
    return dir / "bin/pcc";
}

}  // namespace

// The module fails inside each request after handing out memory: pcc says so in its words,
// keeps every tick spooled (exit status 4), and a later run delivers them all.
TEST(TrickleTlsModule, ModuleFailingInsideRequestsLeavesTheSpoolForLater) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    const auto pcc = prefix_with_module(work / "p", PC_FAKE_TLS_FAILING);
    Pcd pcd;
    const std::string https = "https://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    auto env = trickle_env(work / "agent", 2, https, pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "1s";
    const auto first = pc::test::run({pcc.string()}, env, 40s);
    ASSERT_EQ(first.exit_code, 4) << first.err;
    EXPECT_NE(first.err.find("failed inside the TLS module (fake TLS module: failed half-way "
                             "through request 1)"),
              std::string::npos)
        << first.err;
    EXPECT_NE(first.err.find("remain spooled"), std::string::npos) << first.err;
    const auto first_ticks = ticks_reported(first.err);
    ASSERT_TRUE(first_ticks) << first.err;

    // Same spool, a real pcd over http: the ticks of the first run arrive, then the new one.
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    env = trickle_env(work / "agent", 1, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "20s";
    const auto second = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 50s);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const auto second_ticks = ticks_reported(second.err);
    ASSERT_TRUE(second_ticks) << second.err;
    const auto all = split_ticks(pcd.stored());
    ASSERT_EQ(all.size(), *first_ticks + *second_ticks) << pcd.stored().substr(0, 2000);
    std::string part1, part2;
    for (std::size_t i = 0; i < all.size(); ++i)
        for (const auto& line : all[i].lines) (i < *first_ticks ? part1 : part2) += line;
    EXPECT_TRUE(stored_exactly(part1, local, *first_ticks));
    EXPECT_TRUE(stored_exactly(part2, local, *second_ticks));
}

// A module of another build is refused before any request, in one line naming it.
TEST(TrickleTlsModule, ModuleOfAnotherBuildIsRefusedClearly) {
    pc::test::TempDir work;
    const auto pcc = prefix_with_module(work / "p", PC_FAKE_TLS_OTHER_ABI);
    auto env = trickle_env(work / "agent", 1, "https://127.0.0.1:1", "other-abi-key-0123456789");
    const auto r = pc::test::run({pcc.string()}, env, 30s);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const fs::path module = work / "p/lib/perfcollector/libpc_tls.so";
    EXPECT_NE(r.err.find("pcc: the TLS module " + module.string() +
                         " does not belong to this pcc (other version: its ABI is "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("or use an http:// server URL"), std::string::npos) << r.err;
}
