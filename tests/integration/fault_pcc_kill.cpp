// SIGKILL of pcc during a local collection, at random points (and, every other time, right
// while a tick is being written): the file always decodes, with at most one truncated last
// line, every complete tick is whole, and pcprocess processes it; a rerun on a file with a torn
// last line cuts it off before appending.
#include <gtest/gtest.h>

#include <set>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;
namespace test = pc::test;

// A copy of the recorded procroot whose diskstats is padded to several MiB, so a tick takes
// one large write() that a SIGKILL can interrupt part way.
fs::path make_big_procroot(const fs::path& dir) {
    auto src = test::source_dir() / "testdata" / "procroot-vm2cpu";
    fs::copy(src, dir, fs::copy_options::recursive);
    auto disk = test::read_file(src / "diskstats");
    std::string big;
    while (big.size() < (6u << 20)) big += disk;
    test::write_file(dir / "diskstats", big);
    return dir;
}

std::map<std::string, std::string> pcc_env(const fs::path& procroot, const fs::path& file) {
    return {{"PCC_MODE", "local"},           {"PCC_COLLECTION", file.string()},
            {"PCC_DURATION", "1h"},          {"PCC_FREQUENCY", "1s"},
            {"PCC_IDENTIFIER", "fault-pcc"}, {"PCC_PROCROOT", procroot.string()},
            {"PCC_LOGLEVEL", "info"}};
}

int failure_parts() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
}

struct Outcome {
    std::size_t complete_ticks = 0;
    bool truncated = false;
};

// Checks the collection as pcprocess's reader sees it; fails the test on any damage.
Outcome check_collection(const fs::path& file, const std::set<std::string>& tick_subsystems) {
    Outcome o;
    auto text = test::read_file(file);
    auto c = read_collection(file);
    EXPECT_EQ(c.malformed, 0u) << "a malformed line in the middle of " << file;
    EXPECT_LE(c.truncated, 1u);
    o.truncated = c.truncated == 1;
    // The file ends with '\n' unless the last line is the (one) truncated one.
    if (!text.empty() && text.back() != '\n') {
        EXPECT_TRUE(o.truncated) << "file ends mid-line but the reader did not say so";
    }
    // Group by timestamp: every complete tick carries the whole set of subsystems once.
    std::map<std::int64_t, std::multiset<std::string>> ticks;
    std::vector<std::int64_t> order;
    for (const auto& r : c.records) {
        if (ticks.find(r.timestamp) == ticks.end()) order.push_back(r.timestamp);
        ticks[r.timestamp].insert(r.subsystem);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        std::multiset<std::string> got = ticks[order[i]];
        got.erase("/proc/cpuinfo");  // first tick only
        std::multiset<std::string> want(tick_subsystems.begin(), tick_subsystems.end());
        bool last = i + 1 == order.size();
        if (last && o.truncated) {
            // The tick whose write was cut: what arrived is a prefix of the tick.
            for (const auto& s : got) EXPECT_TRUE(want.count(s)) << s;
            continue;
        }
        EXPECT_EQ(got, want) << "tick " << order[i] << " is not whole";
        ++o.complete_ticks;
    }
    for (std::size_t i = 1; i < order.size(); ++i) EXPECT_LT(order[i - 1], order[i]);
    return o;
}

TEST(FaultPccKill, RandomSigkillLeavesADecodableCollection) {
    test::TempDir dir;
    auto procroot = make_big_procroot(dir / "proc");
    auto rng = make_rng();
    const int kills = iterations(20, 100);

    // The subsystems of a whole tick, from one uninterrupted run.
    std::set<std::string> tick_subsystems;
    {
        auto file = dir / "reference.json";
        auto env = pcc_env(procroot, file);
        env["PCC_DURATION"] = "2s";
        auto r = test::run({(test::bin_dir() / "pcc").string()}, env, 60s);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        for (const auto& rec : read_collection(file).records) {
            if (rec.subsystem != "/proc/cpuinfo") tick_subsystems.insert(rec.subsystem);
        }
        ASSERT_GE(tick_subsystems.size(), 4u);
    }

    int truncated_seen = 0, mid_write_kills = 0, processed = 0, rerun_after_torn = 0;
    std::size_t ticks_total = 0;
    for (int i = 0; i < kills; ++i) {
        auto file = dir / ("collection-" + std::to_string(i) + ".json");
        test::Child pcc({(test::bin_dir() / "pcc").string()}, pcc_env(procroot, file));
        bool target_write = i % 2 == 1;
        if (target_write) {
            // Wait for the write of tick 1, 2 or 3 to start (the file grows after a quiet
            // spell), then kill at once, while the multi-MiB write is still going.
            int wanted_tick = 1 + static_cast<int>(rng() % 3);
            std::uintmax_t last = 0;
            auto last_change = Clock::now() - 1h;
            int writes_started = 0;
            wait_until(
                [&] {
                    std::error_code ec;
                    auto size = fs::file_size(file, ec);
                    if (!ec && size != last) {
                        if (Clock::now() - last_change > 300ms) ++writes_started;
                        last = size;
                        last_change = Clock::now();
                    }
                    return writes_started >= wanted_tick || !pcc.running();
                },
                15s, 0ms);
            ++mid_write_kills;
        } else {
            // A random moment once pcc has opened its collection (it does at startup, which a
            // sanitized build on a busy machine can take longer than the shortest delay).
            wait_until([&] { return fs::exists(file) || !pcc.running(); }, 15s, 0ms);
            std::uniform_int_distribution<int> delay_ms(100, 4000);
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        }
        ASSERT_TRUE(pcc.running()) << "pcc exited early:\n" << pcc.err_so_far();
        pcc.signal(SIGKILL);
        auto r = pcc.wait(10s);
        ASSERT_EQ(r.term_signal, SIGKILL);

        auto parts_before = failure_parts();
        auto outcome = check_collection(file, tick_subsystems);
        truncated_seen += outcome.truncated;
        ticks_total += outcome.complete_ticks;
        if (failure_parts() != parts_before) {
            FAIL() << "iteration " << i << " (" << (target_write ? "during a write" : "random")
                   << "), file kept at " << file;
        }
        // pcprocess processes whatever is there once there is a tick to work on.
        if (fs::exists(file) && outcome.complete_ticks >= 1) {
            auto out = dir / ("out-" + std::to_string(i));
            auto p =
                test::run({(test::bin_dir() / "pcprocess").string()},
                          {{"PCR_COLLECTION", file.string()}, {"PCR_OUTDIR", out.string()}}, 60s);
            EXPECT_EQ(p.exit_code, 0) << "pcprocess on iteration " << i << ":\n" << p.err;
            if (outcome.truncated) {
                EXPECT_NE(p.err.find("truncated"), std::string::npos)
                    << "pcprocess did not report the truncated last line:\n"
                    << p.err;
            }
            ++processed;
        }
        // The next run appends to the same file: it cuts the torn line off first, so the file
        // is whole again and even --strict accepts it.
        if (outcome.truncated) {
            auto env = pcc_env(procroot, file);
            env["PCC_DURATION"] = "1s";
            auto again = test::run({(test::bin_dir() / "pcc").string()}, env, 60s);
            EXPECT_EQ(again.exit_code, 0) << again.err;
            EXPECT_NE(again.err.find("removed a torn last line"), std::string::npos) << again.err;
            auto c = read_collection(file);
            EXPECT_EQ(c.malformed, 0u) << "iteration " << i << ": file kept at " << file;
            EXPECT_EQ(c.truncated, 0u) << "iteration " << i << ": file kept at " << file;
            auto strict =
                test::run({(test::bin_dir() / "pcprocess").string(), "--strict"},
                          {{"PCR_COLLECTION", file.string()},
                           {"PCR_OUTDIR", (dir / ("strict-" + std::to_string(i))).string()}},
                          60s);
            EXPECT_EQ(strict.exit_code, 0) << strict.err;
            ++rerun_after_torn;
        }
        fs::remove(file);
    }
    std::cout << "[fault] pcc SIGKILLed " << kills << " times (" << mid_write_kills
              << " during a write): " << truncated_seen << " truncated last lines, " << ticks_total
              << " whole ticks, 0 damaged; pcprocess ran on " << processed << " collections; "
              << rerun_after_torn << " reruns cut the torn line off\n";
}

}  // namespace
