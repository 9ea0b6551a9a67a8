// pcd goes away: SIGKILLed mid-run and restarted (and pcc stopped by SIGTERM once it is back),
// or not yet up when pcc starts. Every tick arrives exactly once.
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>

#include "pc/api/trickle.hpp"
#include "pc/server/listen_socket.hpp"
#include "trickle_support.hpp"

using namespace pc::trickle_it;

TEST(TrickleOutage, PcdKilledMidRunAndRestarted) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 9, pcd.url(), pcd.agent_key);
    env["PCC_BATCH_MAX"] = "1";
    env["PCC_DRAIN_TIMEOUT"] = "20s";
    auto pcc = start_pcc(env);
    ASSERT_TRUE(wait_until([&] { return split_ticks(pcd.stored()).size() >= 2; }, 20s))
        << pcc->err_so_far();
    pcd.kill_hard();
    std::this_thread::sleep_for(2s);
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    const auto r = pcc->wait(50s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}

TEST(TrickleOutage, PcdDownAtStartTicksSpoolAndArriveLater) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;  // not started yet
    auto env = trickle_env(work.path(), 4, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "25s";
    auto pcc = start_pcc(env);
    ASSERT_TRUE(pcc->wait_for_err("cannot connect", 15s)) << pcc->err_so_far();
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    const auto r = pcc->wait(50s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}

TEST(TrickleOutage, SpoolLeftByEarlierRunIsDeliveredFirst) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    // First run: pcd is down, the drain gives up, the ticks stay spooled.
    auto env = trickle_env(work.path(), 2, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "1s";
    const auto first = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 40s);
    ASSERT_EQ(first.exit_code, 4) << "ticks left in the spool have their own status\n" << first.err;
    const auto first_ticks = ticks_reported(first.err);
    ASSERT_TRUE(first_ticks) << first.err;
    EXPECT_NE(first.err.find("remain spooled"), std::string::npos) << first.err;
    // Second run with pcd up: the old ticks go first, then the new ones.
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    env["PCC_DRAIN_TIMEOUT"] = "20s";
    const auto second = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 50s);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const auto second_ticks = ticks_reported(second.err);
    ASSERT_TRUE(second_ticks) << second.err;
    // Both runs start with a cpuinfo tick: compare each run's part separately.
    const auto all = split_ticks(pcd.stored());
    ASSERT_EQ(all.size(), *first_ticks + *second_ticks) << pcd.stored().substr(0, 2000);
    std::string part1, part2;
    for (std::size_t i = 0; i < all.size(); ++i)
        for (const auto& line : all[i].lines) (i < *first_ticks ? part1 : part2) += line;
    EXPECT_TRUE(stored_exactly(part1, local, *first_ticks));
    EXPECT_TRUE(stored_exactly(part2, local, *second_ticks));
}

// A proxy between pcc and pcd forwards the first batch, pcd stores it, and the proxy loses the
// acknowledgement (answers 502). pcc resends the same batch_id; pcd must not store it twice.
TEST(TrickleOutage, LostAcknowledgementDoesNotDuplicate) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();

    std::mutex mutex;
    std::vector<std::string> batch_ids;
    int forwarded = 0;
    httplib::Server proxy;
    pc::client::HttpClient upstream(pc::client::parse_base_url(pcd.url()));
    proxy.Post("/v1/trickle", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        const auto decoded = pc::api::decode_trickle_request(req.body);  // httplib inflated gzip
        batch_ids.push_back(decoded.request ? decoded.request->batch_id.value_or("")
                                            : "<undecodable>");
        const auto r = upstream.post("/v1/trickle", req.body, "application/json",
                                     {{"apikey", req.get_header_value("apikey")}});
        ++forwarded;
        if (forwarded == 1 && r.status() == 200) {
            res.status = 502;  // stored upstream, acknowledgement lost on the way back
            return;
        }
        res.status = r.status() == 0 ? 502 : r.status();
        if (r.has_response()) res.set_content(r.response->body, "application/json");
    });
    proxy.set_socket_options(pc::server::set_exclusive_listen_options);
    const int port = proxy.bind_to_any_port("127.0.0.1");
    std::thread proxy_thread([&] { proxy.listen_after_bind(); });

    auto env =
        trickle_env(work.path(), 3, "http://127.0.0.1:" + std::to_string(port), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "20s";
    const auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 50s);
    proxy.stop();
    proxy_thread.join();

    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_GE(batch_ids.size(), 2u) << r.err;
    EXPECT_FALSE(batch_ids[0].empty());
    EXPECT_EQ(batch_ids[0], batch_ids[1]) << "the resend must carry the same batch_id";
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}

// pcd is away long enough for the retry delay to grow past the drain time, comes back, and
// pcc gets one SIGTERM while it still waits to retry: the drain must retry at once, deliver
// every spooled tick exactly once, and pcc exits 0 with nothing left in the spool.
TEST(TrickleOutage, SigtermAfterPcdIsBackDrainsTheSpool) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    auto env = trickle_env(work.path(), 120, pcd.url(), pcd.agent_key);
    env["PCC_DRAIN_TIMEOUT"] = "3s";
    auto pcc = start_pcc(env);
    ASSERT_TRUE(wait_until([&] { return split_ticks(pcd.stored()).size() >= 2; }, 20s))
        << pcc->err_so_far();
    pcd.kill_hard();
    // Four failed attempts: the next retry delay is 4-8 s (1 s doubling, up to 50 % less), more
    // than the drain's 3 s. Ticks keep arriving in the spool meanwhile.
    ASSERT_TRUE(pcc->wait_for_err("stay spooled, retrying (attempt 4)", 30s)) << pcc->err_so_far();
    ASSERT_TRUE(pcd.start()) << pcd.logs();
    pcc->signal(SIGTERM);
    const auto r = pcc->wait(30s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("stopped by signal after "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(", 0 still spooled"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refused by the server 0, failed to spool 0\n"), std::string::npos)
        << "every tick delivered, none left: " << r.err;
    EXPECT_EQ(r.err.find("remain spooled"), std::string::npos) << r.err;
    const auto ticks = ticks_reported(r.err);
    ASSERT_TRUE(ticks) << r.err;
    EXPECT_GE(*ticks, 5u) << "no ticks were spooled during the outage";
    EXPECT_TRUE(stored_exactly(pcd.stored(), local, *ticks)) << r.err << pcd.logs();
}
