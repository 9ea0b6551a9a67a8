// SIGKILL of pcd, again and again, while 10 pcc agents trickle to it: afterwards every tick
// of every agent is stored exactly once, and every stored file decodes cleanly.
#include <gtest/gtest.h>

#include <set>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;
namespace test = pc::test;

TEST(FaultPcdKill, EveryTickStoredExactlyOnceAcrossKills) {
    constexpr int kAgents = 10;
    const int kills = iterations(10, 40);
    const int ticks = 8 + kills;  // about one kill per second of collection
    auto rng = make_rng();
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();

    test::TempDir dir;
    std::vector<std::unique_ptr<test::Child>> agents;
    for (int i = 0; i < kAgents; ++i) {
        auto id = "agent-" + std::to_string(i);
        agents.push_back(std::make_unique<test::Child>(
            std::vector<std::string>{(test::bin_dir() / "pcc").string()},
            std::map<std::string, std::string>{
                {"PCC_MODE", "trickle"},
                {"PCC_SERVER_URL", "http://127.0.0.1:" + std::to_string(pcd.port)},
                {"PCC_APIKEY", pcd.agent_key},
                {"PCC_IDENTIFIER", id},
                {"PCC_DURATION", std::to_string(ticks) + "s"},
                {"PCC_FREQUENCY", "1s"},
                {"PCC_PROCROOT", (test::source_dir() / "testdata" / "procroot-vm2cpu").string()},
                {"PCC_COLLECTION", (dir / (id + ".json")).string()},
                {"PCC_SPOOL", (dir / (id + ".spool")).string()},
                {"PCC_DRAIN_TIMEOUT", "70s"},
                {"PCC_LOGLEVEL", "info"}}));
    }

    // Kill pcd at random moments while the agents run; restart it after a short outage.
    std::uniform_int_distribution<int> up_ms(300, 1200), down_ms(50, 600);
    for (int k = 0; k < kills; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(up_ms(rng)));
        pcd.kill_now();
        std::this_thread::sleep_for(std::chrono::milliseconds(down_ms(rng)));
        ASSERT_TRUE(pcd.start()) << "pcd did not restart after kill " << k << ":\n"
                                 << pcd.err_so_far();
    }

    // Every agent ends its collection and drains its spool into the surviving pcd.
    std::string agent_logs;
    for (int i = 0; i < kAgents; ++i) {
        auto r = agents[i]->wait(std::chrono::seconds(ticks + 90));
        agent_logs += r.err;
        EXPECT_FALSE(r.timed_out) << "agent " << i << " did not finish";
        EXPECT_EQ(r.exit_code, 0) << "agent " << i << ":\n" << r.err;
    }
    ASSERT_TRUE(pcd.running());
    pcd.stop();

    std::size_t records = 0;
    std::multiset<std::string> whole_tick;
    for (int i = 0; i < kAgents; ++i) {
        auto id = "agent-" + std::to_string(i);
        auto c = read_collection(pcd.file_for(id));
        EXPECT_EQ(c.malformed, 0u) << id << ": damaged lines in the stored file";
        EXPECT_EQ(c.truncated, 0u) << id << ": torn last line left after recovery";
        std::map<std::int64_t, std::multiset<std::string>> by_tick;
        for (const auto& r : c.records) {
            if (r.subsystem != "/proc/cpuinfo") by_tick[r.timestamp].insert(r.subsystem);
        }
        records += c.records.size();
        ASSERT_FALSE(by_tick.empty()) << id << " stored nothing";
        if (whole_tick.empty()) whole_tick = by_tick.begin()->second;
        EXPECT_EQ(by_tick.size(), static_cast<std::size_t>(ticks)) << id << ": ticks lost";
        EXPECT_EQ(by_tick.rbegin()->first - by_tick.begin()->first, ticks - 1) << id;
        for (const auto& [ts, subs] : by_tick) {
            EXPECT_EQ(subs, whole_tick) << id << ": tick " << ts << " missing parts or doubled";
        }
    }
    std::cout << "[fault] pcd SIGKILLed " << kills << " times under " << kAgents
              << " agents: " << records << " records stored, " << kAgents * ticks
              << " ticks each exactly once, 0 lost, 0 doubled\n";
}

}  // namespace
