// The fleet page's rows from a real FileStore: figures from the last two ticks, incremental
// reads, the read budget, trimmed machines counted again, the JSON.
#include "pc/server/fleet_view.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using namespace pc::server;

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One tick: /proc/stat with these user/system/idle/iowait jiffies and a meminfo.
std::vector<pc::record::Record> tick(std::int64_t ts, int user, int system, int idle, int iowait,
                                     int mem_free_kb) {
    const std::string stat = "cpu  " + std::to_string(user) + " 0 " + std::to_string(system) + " " +
                             std::to_string(idle) + " " + std::to_string(iowait) +
                             " 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\nbtime 1\n";
    const std::string meminfo =
        "MemTotal:        1000 kB\nMemFree:          " + std::to_string(mem_free_kb) +
        " kB\nBuffers:            50 kB\nCached:            100 kB\n"
        "Slab:               50 kB\n";
    return {{ts, "/proc/stat", stat},
            {ts, "/proc/meminfo", meminfo},
            {ts, "/proc/loadavg", "0.1 0.2 0.3 1/2 3\n"}};
}

class Fleet : public ::testing::Test {
protected:
    void append(const std::string& id, const std::vector<pc::record::Record>& records) {
        auto outcome = store_.append(id, records, std::nullopt);
        ASSERT_EQ(outcome.status, pc::store::AppendOutcome::Status::stored) << outcome.error;
    }
    pc::test::TempDir dir_;
    pc::store::FileStore store_{pc::store::StoreOptions{dir_ / "data", 16}};
};

}  // namespace

TEST_F(Fleet, FiguresFromTheLastTwoTicks) {
    const auto now = unix_now();
    append("web-01", tick(now - 20, 100, 100, 800, 0, 500));
    append("web-01", tick(now - 10, 100, 100, 800, 0, 500));
    // 1000 jiffies later: 300 user, 100 system, 500 idle, 100 iowait -> 40 % busy.
    append("web-01", tick(now, 400, 200, 1300, 100, 200));
    FleetView view(store_);
    auto rows = view.refresh(now);
    ASSERT_EQ(rows.size(), 1u);
    const auto& r = rows[0];
    EXPECT_EQ(r.identifier, "web-01");
    EXPECT_EQ(r.ticks, 3u);
    EXPECT_EQ(r.gaps, 0u);
    EXPECT_EQ(r.interval, 10);
    EXPECT_EQ(r.records, 9u);
    ASSERT_TRUE(r.cpu_busy_pct);
    EXPECT_DOUBLE_EQ(*r.cpu_busy_pct, 40.0);
    ASSERT_TRUE(r.mem_used_pct);
    EXPECT_DOUBLE_EQ(*r.mem_used_pct, 60.0);  // 1000 - (200 + 50 + 100 + 50)
    EXPECT_EQ(r.state, MachineState::fresh);
    EXPECT_FALSE(r.pending);
    // As the clock runs on without batches: late, then silent.
    EXPECT_EQ(view.refresh(now + 40).at(0).state, MachineState::late);
    EXPECT_EQ(view.refresh(now + 70).at(0).state, MachineState::silent);
}

TEST_F(Fleet, RefreshesReadOnlyMachinesWithNewRecords) {
    const auto now = unix_now();
    append("a", tick(now - 2, 1, 1, 8, 0, 500));
    append("b", tick(now - 2, 1, 1, 8, 0, 500));
    FleetView view(store_);
    view.refresh(now);
    EXPECT_EQ(view.last_reads(), 2u);
    view.refresh(now);
    EXPECT_EQ(view.last_reads(), 0u) << "nothing new: nothing read";
    append("b", tick(now - 1, 2, 2, 16, 0, 500));
    append("b", tick(now, 3, 3, 24, 0, 500));
    auto rows = view.refresh(now);
    EXPECT_EQ(view.last_reads(), 1u);
    EXPECT_EQ(rows.at(0).ticks, 1u);
    EXPECT_EQ(rows.at(1).ticks, 3u);
    EXPECT_EQ(rows.at(1).interval, 1);
    ASSERT_TRUE(rows.at(1).cpu_busy_pct);
    EXPECT_DOUBLE_EQ(*rows.at(1).cpu_busy_pct, 20.0);
    EXPECT_FALSE(rows.at(0).cpu_busy_pct) << "one tick: no CPU figure";
}

TEST_F(Fleet, TheReadBudgetBoundsARefresh) {
    const auto now = unix_now();
    for (const char* id : {"m1", "m2", "m3", "m4", "m5"}) append(id, tick(now, 1, 1, 8, 0, 500));
    FleetView view(store_, 2);
    auto rows = view.refresh(now);
    EXPECT_EQ(view.last_reads(), 2u);
    EXPECT_EQ(rows.size(), 5u) << "every machine is listed, read or not";
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.pending; }), 3);
    view.refresh(now);
    rows = view.refresh(now);
    EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.pending; }), 0)
        << "the next refreshes read the rest";
}

TEST_F(Fleet, GapsCountedAndTrimmedMachinesCountedAgain) {
    const auto now = unix_now();
    for (std::int64_t ts : {now - 100, now - 99, now - 98, now - 97, now - 50, now - 49}) {
        append("g", tick(ts, 1, 1, 8, 0, 500));
    }
    FleetView view(store_);
    auto rows = view.refresh(now);
    EXPECT_EQ(rows.at(0).ticks, 6u);
    EXPECT_EQ(rows.at(0).gaps, 1u);
    ASSERT_TRUE(store_.trim("g", now - 60));
    rows = view.refresh(now);
    EXPECT_EQ(rows.at(0).ticks, 2u) << "after a trim the machine is counted from its start";
    EXPECT_EQ(rows.at(0).gaps, 0u);
    ASSERT_TRUE(store_.remove("g"));
    EXPECT_TRUE(view.refresh(now).empty());
}

TEST_F(Fleet, JsonCarriesEveryColumn) {
    const auto now = unix_now();
    append("web-01", tick(now - 1, 100, 100, 800, 0, 500));
    append("web-01", tick(now, 400, 200, 1300, 100, 200));
    FleetView view(store_);
    auto json = nlohmann::json::parse(encode_fleet_json(view.refresh(now), now));
    EXPECT_EQ(json["now"], now);
    ASSERT_EQ(json["machines"].size(), 1u);
    const auto& m = json["machines"][0];
    EXPECT_EQ(m["identifier"], "web-01");
    EXPECT_EQ(m["state"], "fresh");
    EXPECT_EQ(m["ticks"], 2);
    EXPECT_EQ(m["gaps"], 0);
    EXPECT_EQ(m["interval"], 1);
    EXPECT_EQ(m["cpu_busy_pct"], 40.0);
    EXPECT_EQ(m["mem_used_pct"], 60.0);
    EXPECT_EQ(m["records"], 6);
    EXPECT_TRUE(m["last_seen"].get<std::int64_t>() >= now - 5);
    EXPECT_EQ(m["pending"], false);
    EXPECT_TRUE(nlohmann::json::parse(encode_fleet_json({}, now))["machines"].empty());
}

TEST(CpuBusy, ResetCountersGiveNoFigure) {
    pc::procfs::CpuJiffies a, b;
    a.v = {100, 0, 100, 800, 0, 0, 0, 0, 0, 0};
    b.v = {10, 0, 10, 80, 0, 0, 0, 0, 0, 0};
    EXPECT_FALSE(cpu_busy_pct(a, b));
    EXPECT_FALSE(cpu_busy_pct(a, a)) << "no time passed";
    EXPECT_DOUBLE_EQ(*cpu_busy_pct(b, a), 20.0);
}
