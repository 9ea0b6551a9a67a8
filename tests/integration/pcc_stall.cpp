// pcc stopped and continued (SIGSTOP/SIGCONT: what a VM pause, `docker pause` or heavy swapping
// does to it): no timestamp is ever written twice and the skipped count it logs is the truth.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <sstream>
#include <thread>

#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kTicks = 8;  // PCC_DURATION=8s at PCC_FREQUENCY=1s

std::vector<std::int64_t> timestamps(const fs::path& p) {
    std::vector<std::int64_t> ts;
    if (!fs::exists(p)) return ts;
    std::istringstream in(pc::test::read_file(p));
    for (std::string line; std::getline(in, line);) {
        auto d = pc::record::decode_record(line);
        if (d.record) ts.push_back(d.record->timestamp);
    }
    return ts;
}

std::int64_t logged_skips(const std::string& err) {
    static const std::regex re("skipped ([0-9]+) tick\\(s\\)");
    std::int64_t n = 0;
    for (auto it = std::sregex_iterator(err.begin(), err.end(), re); it != std::sregex_iterator();
         ++it) {
        n += std::stoll((*it)[1].str());
    }
    return n;
}

struct StallOutcome {
    std::vector<std::int64_t> ts;
    std::int64_t skipped = 0;
    std::string err;
};

// Runs pcc (only /proc/stat, one record per tick), stops it just after its second tick is
// written, keeps it stopped for `stall`, continues it and waits for the end of the run.
StallOutcome run_with_stall(std::chrono::milliseconds stall) {
    pc::test::TempDir dir;
    auto out = dir / "c.json";
    pc::test::Child child({(pc::test::bin_dir() / "pcc").string()},
                          {{"PCC_COLLECTION", out.string()},
                           {"PCC_DURATION", std::to_string(kTicks) + "s"},
                           {"PCC_FREQUENCY", "1s"},
                           {"PCC_SUBSYSTEMS", "/proc/stat"},
                           {"PCC_MODE", "local"}});
    for (int i = 0; i < 1000 && timestamps(out).size() < 2; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_GE(timestamps(out).size(), 2u) << child.err_so_far();
    child.signal(SIGSTOP);
    std::this_thread::sleep_for(stall);  // the stall itself, not an ordering wait
    child.signal(SIGCONT);
    auto result = child.wait(30s);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return {timestamps(out), logged_skips(result.err), result.err};
}

void expect_consistent(const StallOutcome& o) {
    ASSERT_GE(o.ts.size(), 2u) << o.err;
    std::int64_t gaps = 0;
    for (std::size_t i = 1; i < o.ts.size(); ++i) {
        EXPECT_GT(o.ts[i], o.ts[i - 1]) << "tick " << i << " repeats a timestamp\n" << o.err;
        gaps += o.ts[i] - o.ts[i - 1] - 1;  // whole seconds with no tick: ticks not taken
    }
    EXPECT_EQ(static_cast<std::int64_t>(o.ts.size()) + o.skipped, kTicks) << o.err;
    EXPECT_EQ(o.skipped, gaps) << "logged skips must be the ticks really missing\n" << o.err;
}

}  // namespace

TEST(PccStall, StopOfPointNineSecondsWritesNoTimestampTwice) {
    auto o = run_with_stall(900ms);
    expect_consistent(o);
}

TEST(PccStall, StopOfOnePointSixSecondsSkipsOneTickAndSaysSo) {
    auto o = run_with_stall(1600ms);
    expect_consistent(o);
    EXPECT_GE(o.skipped, 1) << o.err;  // more only if the busy machine stalls it again
}

TEST(PccStall, StopOfThreePointThreeSecondsSkipsToTheNextFutureTick) {
    // The reproduction of issue 18: the old loop wrote Δtimestamps 4,0,0.
    auto o = run_with_stall(3300ms);
    expect_consistent(o);
    EXPECT_GE(o.skipped, 3) << o.err;  // ticks 3, 4 and 5 passed while it was stopped
}
