// pcctl replay into a real pcd: everything arrives once, in order, byte for byte, even when
// pcctl is killed mid-run or a response is lost.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "pcctl_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::kAdminKey;
using pc::test::kMachineKey;
using pc::test::pcctl;

struct PcctlReplay : ::testing::Test {
    pc::test::PcdProcess pcd;
    pc::test::TempDir dir;
    std::filesystem::path collection = dir / "offline.json";
    std::string text = pc::test::synthetic_collection(40);

    void SetUp() override { pc::test::write_file(collection, text); }
    std::map<std::string, std::string> env() const {
        return {{"PCC_SERVER_URL", pcd.url()},
                {"PCC_APIKEY", kMachineKey},
                {"PCCTL_ADMINKEY", kAdminKey}};
    }
    std::string fetched(const std::string& id) {
        auto r = pcctl({"fetch", id}, env());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
    nlohmann::json health() {
        auto r = pcctl({"health", "--json"}, env());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    }
    std::filesystem::path state_file(const std::string& id) const {
        return collection.string() + ".replay-" + id + ".state";
    }
};

TEST_F(PcctlReplay, StoresTheCollectionByteForByteAndASecondRunSendsNothing) {
    auto r = pcctl(
        {"replay", collection.string(), "--identifier", "vm-offline", "--batch-ticks", "7"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("replayed 40 ticks (120 records)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("in 6 requests"), std::string::npos) << r.out;
    EXPECT_EQ(fetched("vm-offline"), text);
    EXPECT_EQ(pc::test::read_file(pcd.home() / "data/vm-offline.json"), text);
    auto before = health();

    r = pcctl({"replay", collection.string(), "--identifier", "vm-offline", "--json"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["sent_ticks"], 0);
    EXPECT_EQ(j["already_stored_ticks"], 40);
    EXPECT_EQ(j["requests"], 0);
    EXPECT_EQ(health()["batches_stored"], before["batches_stored"]);
    EXPECT_EQ(fetched("vm-offline"), text);
}

TEST_F(PcctlReplay, KilledMidRunResumesWithoutDuplicates) {
    pc::test::Child run(
        {(pc::test::bin_dir() / "pcctl").string(), "replay", collection.string(), "--identifier",
         "vm-killed", "--batch-ticks", "2", "--pause", "100ms", "--compression", "none"},
        env());
    // Wait (bounded) until some batches are acknowledged, then kill it without warning.
    bool progressed = false;
    for (int i = 0; i < 200 && !progressed; ++i) {
        std::this_thread::sleep_for(25ms);
        try {
            auto state = nlohmann::json::parse(pc::test::read_file(state_file("vm-killed")));
            progressed = state["acked_ticks"].get<int>() >= 6;
        } catch (const std::exception&) {
        }
    }
    ASSERT_TRUE(progressed) << run.err_so_far();
    run.signal(SIGKILL);
    auto killed = run.wait(10s);
    EXPECT_EQ(killed.term_signal, SIGKILL);
    auto partial = fetched("vm-killed");
    EXPECT_LT(partial.size(), text.size());
    EXPECT_EQ(text.compare(0, partial.size(), partial), 0) << "stored data is not a prefix";

    auto r = pcctl(
        {"replay", collection.string(), "--identifier", "vm-killed", "--batch-ticks", "5"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("already stored by an earlier run"), std::string::npos) << r.out;
    EXPECT_EQ(fetched("vm-killed"), text);
}

TEST_F(PcctlReplay, ALostResponseDoesNotDuplicateRecords) {
    auto r = pcctl(
        {"replay", collection.string(), "--identifier", "vm-lost", "--batch-ticks", "10"}, env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // As if the answer to the batch of ticks 20..29 never arrived: the state still shows it in
    // flight. pcd stored it; the resend carries the same batch_id.
    auto state = nlohmann::json::parse(pc::test::read_file(state_file("vm-lost")));
    state["acked_ticks"] = 20;
    state["acked_records"] = 60;
    state["inflight"] = {{"first_tick", 20}, {"ticks", 10}};
    pc::test::write_file(state_file("vm-lost"), state.dump());
    auto before = health();

    r = pcctl({"replay", collection.string(), "--identifier", "vm-lost", "--loglevel", "info"},
              env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("(resent)"), std::string::npos) << r.err;
    auto after = health();
    EXPECT_EQ(after["duplicates"].get<int>() - before["duplicates"].get<int>(), 2);
    EXPECT_EQ(after["records_stored"], before["records_stored"]);
    EXPECT_EQ(fetched("vm-lost"), text);
}

TEST_F(PcctlReplay, WrongOrMissingKeyStoresNothing) {
    auto e = env();
    e["PCC_APIKEY"] = "not-a-key-pcd-knows";
    auto r = pcctl({"replay", collection.string(), "--identifier", "vm-nokey"}, e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("PCC_APIKEY"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("not-a-key-pcd-knows"), std::string::npos) << "key leaked: " << r.err;
    e["PCC_APIKEY"] = "";
    r = pcctl({"replay", collection.string(), "--identifier", "vm-nokey"}, e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("PCC_APIKEY"), std::string::npos) << r.err;
    r = pcctl({"machines"}, env());
    EXPECT_NE(r.out.find("no machines"), std::string::npos) << r.out;
}

TEST_F(PcctlReplay, StdinNeedsAStateFileAndGzipWorks) {
    auto r = pcctl({"replay", "-", "--identifier", "vm-stdin"}, env(), text);
    EXPECT_EQ(r.exit_code, 2);  // a usage error
    EXPECT_NE(r.err.find("--state"), std::string::npos) << r.err;

    auto gz = pc::test::run({"/bin/gzip", "-k", collection.string()});
    ASSERT_EQ(gz.exit_code, 0) << gz.err;
    r = pcctl({"replay", collection.string() + ".gz", "--identifier", "vm-gz", "--state",
               (dir / "gz.state").string()},
              env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fetched("vm-gz"), text);
}

TEST_F(PcctlReplay, UnreachableServerSaysHowToResume) {
    auto e = env();
    e["PCC_SERVER_URL"] = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    auto r = pcctl({"replay", collection.string(), "--identifier", "vm-down", "--retries", "1"}, e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("run the same command again to resume"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n') >= 1, true);
}

}  // namespace
