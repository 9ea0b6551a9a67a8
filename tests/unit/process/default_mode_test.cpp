// Default (correct) mode on small hand-made collections; every expected value is worked out
// by hand in the comments next to it. Numbers have two decimals, as sar prints them (issue 17);
// intervals come from /proc/uptime, else the timestamps (issue 18).
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <sstream>

#include "collection_builder.hpp"
#include "log_capture.hpp"
#include "pc/core/error.hpp"
#include "pc/process/processor.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::process::Formats;
using pc::process::Mode;
using pc::process::ProcessOptions;
using pc::process::ProcessResult;
using pc::test::Cpu;
using pc::test::diskstats_text;
using pc::test::line;
using pc::test::meminfo_text;
using pc::test::net_dev_text;
using pc::test::read_file;
using pc::test::stat_text;
using pc::test::TempDir;
using pc::test::write_file;

namespace {

ProcessResult run_on(const TempDir& dir, const std::string& collection, bool strict = false,
                     Mode mode = Mode::standard, Formats formats = {}) {
    write_file(dir / "c.json", collection);
    ProcessOptions o;
    o.collection = (dir / "c.json").string();
    o.outdir = dir / "out";
    o.mode = mode;
    o.formats = formats;
    o.strict = strict;
    o.machine_id = "web-01";
    return pc::process::run_process(o);
}

// Data rows (header dropped) of one output file.
std::vector<std::string> rows(const TempDir& dir, const std::string& rel) {
    std::vector<std::string> out;
    std::istringstream in(read_file(dir / "out" / rel));
    std::string l;
    bool first = true;
    while (std::getline(in, l)) {
        if (!first) out.push_back(l);
        first = false;
    }
    return out;
}

std::vector<std::string> v(std::initializer_list<std::string> l) {
    return l;
}

// /proc/vmstat with the counters sar -B uses.
std::string vmstat_text(std::uint64_t pgpgin, std::uint64_t pgpgout, std::uint64_t pgfault,
                        std::uint64_t pgmajfault, std::uint64_t pgfree, std::uint64_t scan_kswapd,
                        std::uint64_t scan_direct, std::uint64_t steal_kswapd) {
    return "pgpgin " + std::to_string(pgpgin) + "\npgpgout " + std::to_string(pgpgout) +
           "\npgfault " + std::to_string(pgfault) + "\npgmajfault " + std::to_string(pgmajfault) +
           "\npgfree " + std::to_string(pgfree) + "\npgscan_kswapd " + std::to_string(scan_kswapd) +
           "\npgscan_direct " + std::to_string(scan_direct) + "\npgsteal_kswapd " +
           std::to_string(steal_kswapd) + "\n";
}

using pc::test::LogCapture;

const char* const kPerfCsvHead =
    "timestamp,machine_id,cpu_user,cpu_system,cpu_idle,cpu_iowait,mem_total,mem_free,"
    "mem_available";

}  // namespace

// Rows start at tick 1 (against tick 0) in every file.
TEST(DefaultMode, RowsStartAtTheSecondTick) {
    TempDir d;
    std::string c;
    for (std::int64_t ts : {100, 101, 102}) {
        c += line(ts, "/proc/meminfo", meminfo_text(1000, 250, 500));
        c += line(ts, "statfs[*]",
                  "{\"mount_point\":\"/\",\"block_size\":4096,\"blocks_total\":200,\"blocks_free\":"
                  "150,\"blocks_available\":149}\n");
    }
    run_on(d, c);
    // kbmemused = 1000 - min(1000, 250+0+0+0) = 750; %memused = 750/1000*100 = 75;
    // %commit = 0/(1000+0)*100 = 0.
    EXPECT_EQ(rows(d, "proc/meminfo"), v({"101,250,500,750,75.00,0,0,0,0.00,0,0,0",
                                          "102,250,500,750,75.00,0,0,0,0.00,0,0,0"}));
    // use = round((200-149)/200*100) = round(25.5) = 26 (half away from zero).
    EXPECT_EQ(rows(d, "statfs_ALL"), v({"101,/,4096,200,149,26", "102,/,4096,200,149,26"}));
}

// Rates use the /proc/uptime interval when the tick has one (written before the other records
// of its tick), else the timestamps; never CPU jiffies, which run slow under I/O wait on VMs.
TEST(DefaultMode, IntervalFromUptimeElseTimestamps) {
    TempDir d;
    std::string c;
    // Two CPUs. Aggregate jiffies: tick 100: 200+1800 = 2000; tick 101: 300+1896 = 2196 ->
    // Δ196 / 2 CPUs = 98 hundredths: not used. /proc/uptime says 1.02 s, although the
    // timestamps differ by exactly 1 s.
    c += line(100, "/proc/uptime", "5000.00 9000.00\n");
    c += line(100, "/proc/stat",
              stat_text({200, 0, 0, 1800, 0}, {{100, 0, 0, 900, 0}, {100, 0, 0, 900, 0}}));
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 1000, 0, 0}}));
    c += line(101, "/proc/uptime", "5001.02 9002.00\n");
    c += line(101, "/proc/stat",
              stat_text({300, 0, 0, 1896, 0}, {{150, 0, 0, 948, 0}, {150, 0, 0, 948, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 104448, 1051, 0, 0}}));
    // Tick 103 has no /proc/uptime: interval from the timestamps, 2 s = 200 hundredths.
    c += line(103, "/proc/net/dev", net_dev_text({{"eth0", 106496, 1081, 0, 0}}));
    run_on(d, c);
    // tick 101: rxpck/s = 51/102*100 = 50; rxkB/s = 104448/102*100/1024 = 1024*100/1024 = 100.
    // tick 103: rxpck/s = 30/200*100 = 15; rxkB/s = 2048/200*100/1024 = 1.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,50.00,0.00,100.00,0.00,0.00,0.00,0.00,0.00",
                                          "103,eth0,15.00,0.00,1.00,0.00,0.00,0.00,0.00,0.00"}));
    // CPU % are a ratio of jiffies (sar -u): aggregate Δuser 100 of Δtotal 196 = 51.0204...,
    // Δidle 96 of 196 = 48.9795...; each CPU 50 and 48 of 98: the same.
    EXPECT_EQ(rows(d, "proc/stat"),
              v({"101,-1,51.02,0.00,0.00,0.00,0.00,48.98", "101,0,51.02,0.00,0.00,0.00,0.00,48.98",
                 "101,1,51.02,0.00,0.00,0.00,0.00,48.98"}));
}

// An uptime that did not grow (a reboot between two ticks, or a repeated record) is not an
// interval: the timestamps are used.
TEST(DefaultMode, UptimeNotGrowingFallsBackToTimestamps) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/uptime", "5000.00 9000.00\n");
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 1000, 0, 0}}));
    c += line(102, "/proc/uptime", "4000.00 9000.00\n");
    c += line(102, "/proc/net/dev", net_dev_text({{"eth0", 0, 1100, 0, 0}}));
    run_on(d, c);
    // 100 packets over the 2 s of the timestamps: 50.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"102,eth0,50.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
}

// %system is sar's: system + irq + softirq; %usr includes guest time (the kernel counts it in
// user); the six columns add up to 100.
TEST(DefaultMode, CpuColumnsAreSarsAndAddUpTo100) {
    TempDir d;
    // user nice system idle iowait irq softirq steal guest guest_nice
    auto stat = [](const std::string& cpu) {
        return "cpu  " + cpu + "\ncpu0 " + cpu + "\nbtime 1767798686\n";
    };
    std::string c = line(100, "/proc/stat", stat("1000 0 1000 7000 0 0 0 0 500 0")) +
                    line(101, "/proc/stat", stat("1330 7 1100 7440 20 25 35 40 600 3"));
    run_on(d, c);
    // Δ: user 330 (guest 100 inside it), nice 7, system 100, idle 440, iowait 20, irq 25,
    // softirq 35, steal 40; total without guest = 997.
    // %usr 330/997 = 33.0993 -> 33.10; %nice 7/997 = 0.7021 -> 0.70; %system 160/997 = 16.0481
    // -> 16.05; %iowait 20/997 = 2.0060 -> 2.01; %steal 40/997 = 4.0120 -> 4.01; %idle
    // 440/997 = 44.1324 -> 44.13. Sum 100.00.
    EXPECT_EQ(rows(d, "proc/stat"), v({"101,-1,33.10,0.70,16.05,2.01,4.01,44.13",
                                       "101,0,33.10,0.70,16.05,2.01,4.01,44.13"}));
    // perf.csv: cpu_user, cpu_system, cpu_idle, cpu_iowait with the same arithmetic.
    EXPECT_NE(read_file(d / "out" / "perf.csv").find("\n101,web-01,33.10,16.05,44.13,2.01,"),
              std::string::npos);
}

// Numbers have at most two decimals (issue 17): no 84.07960199011943, no 9.14e-11.
TEST(DefaultMode, NumbersHaveTwoDecimalsLikeSar) {
    TempDir d;
    std::string c;
    // 2 s apart: rxpck/s = 16816/200*100 = 8408 -> "8408.00" (no exponent form); 1 byte over
    // 2 s = 0.00048828125 kB/s -> "0.00"; %memused = 84079602/100000000*100 = 84.079602 ->
    // "84.08".
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 0, 0, 0}}));
    c += line(100, "/proc/meminfo", meminfo_text(100000000, 15920398, 0));
    c += line(102, "/proc/net/dev", net_dev_text({{"eth0", 1, 16816, 0, 0}}));
    c += line(102, "/proc/meminfo", meminfo_text(100000000, 15920398, 0));
    run_on(d, c);
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"102,eth0,8408.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(rows(d, "proc/meminfo"), v({"102,15920398,0,84079602,84.08,0,0,0,0.00,0,0,0"}));
}

// Names that need it are quoted as RFC 4180 says ("a,b" is a valid interface name): every row
// keeps the header's column count, in the sar tree and in perf.csv.
TEST(DefaultMode, NamesWithCommasAndQuotesAreQuoted) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/net/dev", net_dev_text({{"a,b", 0, 10, 0, 0}, {"eth0", 0, 1, 0, 0}}));
    c += line(100, "statfs[*]",
              "{\"mount_point\":\"/mnt/x,\\\"y\\\"\",\"block_size\":4096,\"blocks_total\":100,"
              "\"blocks_free\":50,\"blocks_available\":50}\n");
    c += line(101, "/proc/net/dev", net_dev_text({{"a,b", 0, 20, 0, 0}, {"eth0", 0, 2, 0, 0}}));
    c += line(101, "statfs[*]",
              "{\"mount_point\":\"/mnt/x,\\\"y\\\"\",\"block_size\":4096,\"blocks_total\":100,"
              "\"blocks_free\":50,\"blocks_available\":50}\n");
    run_on(d, c);
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,\"a,b\",10.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "101,eth0,1.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(rows(d, "statfs_ALL"), v({"101,\"/mnt/x,\"\"y\"\"\",4096,100,50,50"}));
    const std::string perf = read_file(d / "out" / "perf.csv");
    EXPECT_NE(perf.find(",\"net_a,b_rx_bytes\",\"net_a,b_tx_bytes\",\"net_a,b_rx_packets\","
                        "\"net_a,b_tx_packets\",net_eth0_rx_bytes,"),
              std::string::npos)
        << perf;
    // Compat mode writes the names as the original does, unquoted.
    TempDir dc;
    c += line(102, "/proc/net/dev", net_dev_text({{"a,b", 0, 30, 0, 0}, {"eth0", 0, 3, 0, 0}}));
    run_on(dc, c, false, Mode::compat);
    EXPECT_EQ(rows(dc, "proc/net/dev"),
              v({"102,a,b,10,0,0,0,0,0,0,0", "102,eth0,1,0,0,0,0,0,0,0"}));
}

// One unparsable /proc/net/dev line loses that interface's row only (the original, and
// compat mode, lose the whole record); --strict still stops.
TEST(DefaultMode, UnparsableNetDevLineLosesOnlyThatInterface) {
    std::string c;
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 10, 0, 0}, {"eth1", 0, 5, 0, 0}}));
    std::string broken = net_dev_text({{"eth0", 0, 20, 0, 0}, {"eth1", 0, 6, 0, 0}});
    broken.replace(broken.find("eth1: 0 6"), 9, "eth1: 0 x");
    c += line(101, "/proc/net/dev", broken + "garbage without a colon\n");
    c += line(102, "/proc/net/dev", net_dev_text({{"eth0", 0, 30, 0, 0}, {"eth1", 0, 7, 0, 0}}));
    TempDir d;
    auto r = run_on(d, c);
    // 101: eth0 10/s (before, the broken eth1 line cost eth0's row too); eth1 is absent from
    // that tick, as if it had vanished. 102: eth0 10/s; eth1 is back and starts a new baseline.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,10.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,eth0,10.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(r.events.bad_net_dev_lines, 2u);
    EXPECT_EQ(r.events.vanished, 1u);
    EXPECT_EQ(r.events.appeared, 1u);
    EXPECT_EQ(r.events.bad_measurements, 0u);
    TempDir ds;
    EXPECT_THROW(run_on(ds, c, true), pc::core::UserError);
}

// A counter going backwards gives no row for that interface; it becomes the new baseline.
TEST(DefaultMode, CounterGoingBackwardsStartsANewBaseline) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/net/dev", net_dev_text({{"lo", 5, 5, 5, 5}, {"eth0", 0, 1000, 0, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"lo", 5, 5, 5, 5}, {"eth0", 0, 500, 0, 0}}));
    c += line(102, "/proc/net/dev", net_dev_text({{"lo", 5, 5, 5, 5}, {"eth0", 0, 600, 0, 0}}));
    auto r = run_on(d, c);
    // tick 102: (600-500)/100*100 = 100 packets/s.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,lo,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,lo,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,eth0,100.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(r.events.counter_resets, 1u);
}

// A changed btime (reboot) leaves the interval out for every device, even if counters grew.
TEST(DefaultMode, ChangedBtimeLeavesTheIntervalOut) {
    TempDir d;
    std::string c;
    auto tick = [&](std::int64_t ts, std::uint64_t btime, Cpu cpu, std::uint64_t rxp) {
        c += line(ts, "/proc/stat", stat_text(cpu, {cpu}, btime));
        c += line(ts, "/proc/meminfo", meminfo_text(1000, 500, 500));
        c += line(ts, "/proc/net/dev", net_dev_text({{"eth0", 0, rxp, 0, 0}}));
    };
    tick(100, 1000, {100, 0, 0, 100, 0}, 10);
    tick(101, 1000, {200, 0, 0, 100, 0}, 20);   // 1 s of jiffies: user 100%
    tick(102, 2000, {300, 0, 0, 200, 0}, 500);  // rebooted: counters happen to be larger
    tick(103, 2000, {300, 0, 0, 300, 0}, 600);  // idle 100%
    auto r = run_on(d, c);
    // 101: Δuser 100 of Δtotal 100 -> 100 %usr, %idle 0; rx 10/100*100 = 10.
    // 103: Δidle 100 of 100 -> %idle 100; 1 s of timestamps -> rx 100.
    EXPECT_EQ(
        rows(d, "proc/stat"),
        v({"101,-1,100.00,0.00,0.00,0.00,0.00,0.00", "101,0,100.00,0.00,0.00,0.00,0.00,0.00",
           "103,-1,0.00,0.00,0.00,0.00,0.00,100.00", "103,0,0.00,0.00,0.00,0.00,0.00,100.00"}));
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,10.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "103,eth0,100.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(rows(d, "proc/meminfo").size(), 3u);  // memory needs no interval
    EXPECT_EQ(r.events.reboots, 2u);                // proc/stat and proc/net/dev at 102
}

// A repeated (or earlier) timestamp is skipped: no zero interval, no Inf or NaN.
TEST(DefaultMode, RepeatedAndEarlierTimestampsAreSkipped) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 100, 0, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 0, 200, 0, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 0, 250, 0, 0}}));  // repeated
    c += line(99, "/proc/net/dev", net_dev_text({{"eth0", 0, 50, 0, 0}}));    // earlier
    c += line(102, "/proc/net/dev", net_dev_text({{"eth0", 0, 400, 0, 0}}));
    auto r = run_on(d, c);
    // 101: (200-100)/100*100 = 100; 102: (400-200)/100*100 = 200.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,100.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,eth0,200.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(r.events.repeated_timestamps, 2u);
}

// Interfaces, disks and CPUs are matched by name, not position; new ones start a baseline.
TEST(DefaultMode, DevicesMatchedByNameAcrossAppearAndVanish) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/stat",
              stat_text({200, 0, 0, 200, 0}, {{100, 0, 0, 100, 0}, {100, 0, 0, 100, 0}}));
    c += line(100, "/proc/net/dev", net_dev_text({{"lo", 0, 7, 0, 7}, {"eth0", 0, 100, 0, 0}}));
    c += line(100, "/proc/diskstats", diskstats_text({{"sda", 10, 0, 0, 0}, {"sdb", 20, 0, 0, 0}}));
    // cpu1 offline; lo gone, eth1 new, eth0 moved; disks in the other order.
    c += line(101, "/proc/stat",
              stat_text({300, 0, 0, 300, 0}, {{200, 0, 0, 200, 0}, {100, 0, 0, 100, 0}}, 1767798686,
                        {true, false}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth1", 0, 1, 0, 0}, {"eth0", 0, 150, 0, 0}}));
    c += line(101, "/proc/diskstats", diskstats_text({{"sdb", 25, 0, 0, 0}, {"sda", 11, 0, 0, 0}}));
    c += line(102, "/proc/stat",
              stat_text({500, 0, 0, 500, 0}, {{300, 0, 0, 300, 0}, {200, 0, 0, 200, 0}}));
    c += line(102, "/proc/net/dev", net_dev_text({{"eth1", 0, 3, 0, 0}, {"eth0", 0, 170, 0, 0}}));
    auto r = run_on(d, c);
    // 1 s intervals (timestamps). eth0 101: 50/100*100 = 50; 102: 20 -> 20; eth1 102: 2.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,50.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,eth1,2.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "102,eth0,20.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    // sdb: 5 reads/s, sda: 1 read/s, in the current record's order; no sectors, no time
    // counters: aqu-sz, areq-sz, await and %util 0.
    EXPECT_EQ(rows(d, "proc/diskstats"),
              v({"101,sdb,5.00,5.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                 "101,sda,1.00,1.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    // Aggregate and cpu0 split 50/50 each time; cpu1 vanished at 101, back (baseline) at 102.
    EXPECT_EQ(
        rows(d, "proc/stat"),
        v({"101,-1,50.00,0.00,0.00,0.00,0.00,50.00", "101,0,50.00,0.00,0.00,0.00,0.00,50.00",
           "102,-1,50.00,0.00,0.00,0.00,0.00,50.00", "102,0,50.00,0.00,0.00,0.00,0.00,50.00"}));
    EXPECT_EQ(r.events.appeared, 2u);  // eth1, cpu1
    EXPECT_EQ(r.events.vanished, 2u);  // lo, cpu1
}

// One CPU's counters going backwards (here cpu1 reset to 0, and with it the aggregate): that
// CPU's row and the aggregate row are left out, cpu0's is kept; the next interval is computed
// from the new baseline.
TEST(DefaultMode, CpuCounterGoingBackwardsStartsANewBaselineForThatCpu) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/stat",
              stat_text({200, 0, 0, 200, 0}, {{100, 0, 0, 100, 0}, {100, 0, 0, 100, 0}}));
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 100, 0, 0}}));
    c += line(101, "/proc/stat",
              stat_text({150, 0, 0, 150, 0}, {{150, 0, 0, 150, 0}, {0, 0, 0, 0, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 0, 150, 0, 0}}));
    c += line(103, "/proc/stat",
              stat_text({250, 0, 0, 250, 0}, {{175, 0, 0, 225, 0}, {75, 0, 0, 25, 0}}));
    c += line(103, "/proc/net/dev", net_dev_text({{"eth0", 0, 180, 0, 0}}));
    auto r = run_on(d, c);
    // 101: cpu0 Δuser 50, Δidle 50: 50 / 50. cpu1 and the aggregate (user 200 -> 150) went
    // backwards: no rows.
    // 103: cpu0 Δuser 25, Δidle 75: 25 / 75. cpu1 from its new baseline 0: 75 / 25.
    // Aggregate from 150/150: Δuser 100, Δidle 100: 50 / 50.
    EXPECT_EQ(
        rows(d, "proc/stat"),
        v({"101,0,50.00,0.00,0.00,0.00,0.00,50.00", "103,-1,50.00,0.00,0.00,0.00,0.00,50.00",
           "103,0,25.00,0.00,0.00,0.00,0.00,75.00", "103,1,75.00,0.00,0.00,0.00,0.00,25.00"}));
    // Timestamps: 101: 50/100*100 = 50; 103: 30/200*100 = 15.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,50.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00",
                                          "103,eth0,15.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
    EXPECT_EQ(r.events.counter_resets, 2u);  // aggregate and cpu1 at 101
    EXPECT_EQ(r.events.appeared, 0u);
    EXPECT_EQ(r.events.vanished, 0u);
    EXPECT_EQ(r.events.reboots, 0u);
    // perf.csv: CPU cells empty at 101 (aggregate went backwards), 50/0/50/0 at 103 from the
    // new baseline; interface counters as read.
    EXPECT_EQ(read_file(d / "out" / "perf.csv"),
              std::string(kPerfCsvHead) +
                  ",net_eth0_rx_bytes,net_eth0_tx_bytes,net_eth0_rx_packets,net_eth0_tx_packets\n"
                  "101,web-01,,,,,,,,0,0,150,0\n"
                  "103,web-01,50.00,0.00,50.00,0.00,,,,0,0,180,0\n");
}

// A disk whose counters go backwards (only its written sectors here) gets no row for that
// interval and a new baseline; the other disk keeps its rows. perf.csv shows the counters as
// read, the lower value included (cumulative counters, no rate).
TEST(DefaultMode, DiskCounterResetStartsANewBaselineForThatDisk) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/diskstats",
              diskstats_text({{"sda", 10, 80, 5, 40}, {"sdb", 100, 800, 50, 400}}));
    c += line(101, "/proc/diskstats",
              diskstats_text({{"sda", 12, 96, 6, 48}, {"sdb", 103, 824, 52, 8}}));
    c += line(102, "/proc/diskstats",
              diskstats_text({{"sda", 15, 120, 6, 48}, {"sdb", 107, 856, 53, 16}}));
    auto r = run_on(d, c);
    // No /proc/uptime: 1 s intervals (100). sda 101: reads 2, writes 1 -> tps 3, rtps 2, wtps
    // 1, bread/s 16, bwrtn/s 8, areq-sz (16+8)/3/2 = 4 kB; 102: reads 3 -> tps 3, rtps 3,
    // bread/s 24, areq-sz 24/3/2 = 4.
    // sdb 101: write sectors 400 -> 8, left out; 102 against 101: reads 4, writes 1 -> tps 5,
    // rtps 4, wtps 1, bread/s 32, bwrtn/s 8, areq-sz 40/5/2 = 4.
    EXPECT_EQ(rows(d, "proc/diskstats"),
              v({"101,sda,3.00,2.00,1.00,0.00,16.00,8.00,0.00,0.00,4.00,0.00,0.00",
                 "102,sda,3.00,3.00,0.00,0.00,24.00,0.00,0.00,0.00,4.00,0.00,0.00",
                 "102,sdb,5.00,4.00,1.00,0.00,32.00,8.00,0.00,0.00,4.00,0.00,0.00"}));
    EXPECT_EQ(r.events.counter_resets, 1u);
    EXPECT_EQ(r.events.reboots, 0u);
    // Sectors x512: sda 96 -> 49152, 48 -> 24576, 120 -> 61440; sdb 824 -> 421888, 8 -> 4096,
    // 856 -> 438272, 16 -> 8192.
    EXPECT_EQ(read_file(d / "out" / "perf.csv"),
              std::string(kPerfCsvHead) +
                  ",disk_sda_reads,disk_sda_writes,disk_sda_read_bytes,disk_sda_write_bytes,"
                  "disk_sdb_reads,disk_sdb_writes,disk_sdb_read_bytes,disk_sdb_write_bytes\n"
                  "101,web-01,,,,,,,,12,6,49152,24576,103,52,421888,4096\n"
                  "102,web-01,,,,,,,,15,6,61440,24576,107,53,438272,8192\n");
}

// A changed btime leaves the interval out for diskstats and vmstat too, whether their
// counters grew (sda) or fell (vmstat); the next interval uses the new boot's baseline.
TEST(DefaultMode, RebootSeenByDiskstatsAndVmstat) {
    TempDir d;
    std::string c;
    auto tick = [&](std::int64_t ts, std::uint64_t btime, Cpu cpu, pc::test::Disk disk,
                    const std::string& vm) {
        c += line(ts, "/proc/stat", stat_text(cpu, {cpu}, btime));
        c += line(ts, "/proc/diskstats", diskstats_text({disk}));
        c += line(ts, "/proc/vmstat", vm);
    };
    tick(100, 1000, {100, 0, 0, 100, 0}, {"sda", 10, 80, 5, 40},
         vmstat_text(1000, 2000, 5000, 10, 3000, 100, 0, 50));
    tick(101, 1000, {150, 0, 0, 150, 0}, {"sda", 12, 96, 6, 48},
         vmstat_text(1100, 2200, 5500, 11, 3400, 140, 10, 75));
    tick(102, 2000, {25, 0, 0, 75, 0}, {"sda", 20, 160, 10, 80},
         vmstat_text(10, 20, 50, 0, 30, 0, 0, 0));
    tick(103, 2000, {75, 0, 0, 225, 0}, {"sda", 28, 224, 14, 112},
         vmstat_text(210, 420, 1050, 2, 630, 80, 0, 40));
    auto r = run_on(d, c);
    // Intervals: 1 s of timestamps (no /proc/uptime).
    // CPU 101: Δuser 50, Δidle 50: 50 / 50; 103: Δuser 50, Δidle 150: 25 / 75.
    EXPECT_EQ(
        rows(d, "proc/stat"),
        v({"101,-1,50.00,0.00,0.00,0.00,0.00,50.00", "101,0,50.00,0.00,0.00,0.00,0.00,50.00",
           "103,-1,25.00,0.00,0.00,0.00,0.00,75.00", "103,0,25.00,0.00,0.00,0.00,0.00,75.00"}));
    // sda 101: reads 2, writes 1 -> tps 3, rtps 2, wtps 1, bread 16, bwrtn 8, areq-sz 24/3/2.
    // 103: reads 8, writes 4, sectors 64 and 32 -> tps 12, 8, 4, 0, 64, 32, areq-sz 96/12/2.
    EXPECT_EQ(rows(d, "proc/diskstats"),
              v({"101,sda,3.00,2.00,1.00,0.00,16.00,8.00,0.00,0.00,4.00,0.00,0.00",
                 "103,sda,12.00,8.00,4.00,0.00,64.00,32.00,0.00,0.00,4.00,0.00,0.00"}));
    // vmstat 101: 100, 200, 500, 1, 400, 40, 10, 25; %vmeff 25/(40+10)*100 = 50.
    // 103: 200, 400, 1000, 2, 600, 80, 0, 40; %vmeff 40/80*100 = 50.
    EXPECT_EQ(rows(d, "proc/vmstat"),
              v({"101,100.00,200.00,500.00,1.00,400.00,40.00,10.00,25.00,50.00",
                 "103,200.00,400.00,1000.00,2.00,600.00,80.00,0.00,40.00,50.00"}));
    EXPECT_EQ(r.events.reboots, 3u);  // proc/stat, proc/diskstats, proc/vmstat at 102
    EXPECT_EQ(r.events.counter_resets, 0u);
    // perf.csv: CPU cells empty at the reboot tick, then from the new boot's baseline; the disk
    // counters as read (sectors x512: 96, 48, 160, 80, 224, 112 -> 49152, 24576, 81920, 40960,
    // 114688, 57344).
    EXPECT_EQ(read_file(d / "out" / "perf.csv"),
              std::string(kPerfCsvHead) +
                  ",disk_sda_reads,disk_sda_writes,disk_sda_read_bytes,disk_sda_write_bytes\n"
                  "101,web-01,50.00,0.00,50.00,0.00,,,,12,6,49152,24576\n"
                  "102,web-01,,,,,,,,20,10,81920,40960\n"
                  "103,web-01,25.00,0.00,75.00,0.00,,,,28,14,114688,57344\n");
}

// A disk that appears (sdc, at the position sda had) and one that vanishes (sdb): matched by
// name. perf.csv keeps the first record's columns: sdb's cells empty, sdc not added.
TEST(DefaultMode, DiskAppearsAndVanishesByName) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/diskstats",
              diskstats_text({{"sda", 10, 80, 0, 0}, {"sdb", 20, 160, 0, 0}}));
    c +=
        line(101, "/proc/diskstats", diskstats_text({{"sdc", 5, 40, 0, 0}, {"sda", 12, 96, 0, 0}}));
    c += line(102, "/proc/diskstats",
              diskstats_text({{"sda", 15, 120, 0, 0}, {"sdc", 9, 72, 0, 0}}));
    auto r = run_on(d, c);
    // 1 s intervals. sda 101: 2 reads, 16 sectors; 102: 3 reads, 24 sectors.
    // sdc 101: baseline, no row; 102: 4 reads, 32 sectors. areq-sz 4 kB each time.
    EXPECT_EQ(rows(d, "proc/diskstats"),
              v({"101,sda,2.00,2.00,0.00,0.00,16.00,0.00,0.00,0.00,4.00,0.00,0.00",
                 "102,sda,3.00,3.00,0.00,0.00,24.00,0.00,0.00,0.00,4.00,0.00,0.00",
                 "102,sdc,4.00,4.00,0.00,0.00,32.00,0.00,0.00,0.00,4.00,0.00,0.00"}));
    EXPECT_EQ(r.events.appeared, 1u);  // sdc
    EXPECT_EQ(r.events.vanished, 1u);  // sdb
    EXPECT_EQ(r.events.counter_resets, 0u);
    // sda sectors x512: 96 -> 49152, 120 -> 61440.
    EXPECT_EQ(read_file(d / "out" / "perf.csv"),
              std::string(kPerfCsvHead) +
                  ",disk_sda_reads,disk_sda_writes,disk_sda_read_bytes,disk_sda_write_bytes,"
                  "disk_sdb_reads,disk_sdb_writes,disk_sdb_read_bytes,disk_sdb_write_bytes\n"
                  "101,web-01,,,,,,,,12,0,49152,0,,,,\n"
                  "102,web-01,,,,,,,,15,0,61440,0,,,,\n");
}

// --formats wide alone counts the same events as a run with the sar tree and prints the same
// single summary line, without writing any sar file.
TEST(DefaultMode, WideOnlyRunCountsAndSummarisesTheSameEvents) {
    std::string c;
    auto tick = [&](std::int64_t ts, std::uint64_t btime, Cpu cpu, std::uint64_t rxp) {
        c += line(ts, "/proc/stat", stat_text(cpu, {cpu}, btime));
        c += line(ts, "/proc/net/dev", net_dev_text({{"eth0", 0, rxp, 0, 0}}));
    };
    tick(100, 1000, {100, 0, 0, 100, 0}, 1000);
    tick(101, 1000, {150, 0, 0, 150, 0}, 10);  // eth0 went backwards
    c += line(101, "/proc/stat", stat_text({175, 0, 0, 175, 0}, {{175, 0, 0, 175, 0}}, 1000));
    tick(102, 2000, {25, 0, 0, 75, 0}, 20);  // reboot
    tick(103, 2000, {75, 0, 0, 225, 0}, 30);
    // 1 repeated /proc/stat at 101, eth0 reset at 101, reboot seen by stat and net/dev at 102.
    const std::string summary =
        "1 record with a repeated or earlier timestamp skipped, 1 row left out because a counter "
        "went backwards (new baseline), 2 intervals left out after a reboot (btime changed)";
    // CPU 101: 50/50 (the repeated record ignored); 102 empty (reboot); 103: Δuser 50 of
    // Δtotal 200 = 25, idle 75. Interface counters as read.
    const std::string perf =
        std::string(kPerfCsvHead) +
        ",net_eth0_rx_bytes,net_eth0_tx_bytes,net_eth0_rx_packets,net_eth0_tx_packets\n"
        "101,web-01,50.00,0.00,50.00,0.00,,,,0,0,10,0\n"
        "102,web-01,,,,,,,,0,0,20,0\n"
        "103,web-01,25.00,0.00,75.00,0.00,,,,0,0,30,0\n";
    for (bool sar : {false, true}) {
        SCOPED_TRACE(sar ? "sar,wide" : "wide");
        TempDir d;
        ProcessResult r;
        std::vector<std::string> warnings;
        {
            LogCapture log;
            r = run_on(d, c, false, Mode::standard, Formats{sar, true, false});
            warnings = log.warnings();
        }
        EXPECT_EQ(warnings, v({summary}));
        EXPECT_EQ(r.events.repeated_timestamps, 1u);
        EXPECT_EQ(r.events.counter_resets, 1u);
        EXPECT_EQ(r.events.reboots, 2u);
        EXPECT_EQ(read_file(d / "out" / "perf.csv"), perf);
        EXPECT_EQ(fs::exists(d / "out" / "proc"), sar);
        if (sar) {
            // 103 against 102: 1 s of timestamps; 10/100*100 = 10.
            EXPECT_EQ(rows(d, "proc/net/dev"),
                      v({"103,eth0,10.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00"}));
        }
    }
}

TEST(DefaultMode, ZeroTotalsGiveZeroNotNaN) {
    TempDir d;
    std::string c;
    for (std::int64_t ts : {100, 101}) {
        c += line(ts, "/proc/meminfo", meminfo_text(0, 0, 0));
        c +=
            line(ts, "statfs[*]",
                 "{\"mount_point\":\"/x\",\"block_size\":4096,\"blocks_total\":0,\"blocks_free\":0,"
                 "\"blocks_available\":0}\n");
    }
    run_on(d, c);
    EXPECT_EQ(rows(d, "proc/meminfo"), v({"101,0,0,0,0.00,0,0,0,0.00,0,0,0"}));
    EXPECT_EQ(rows(d, "statfs_ALL"), v({"101,/x,4096,0,0,0"}));
}

// Malformed lines and a truncated last line are skipped (counted), or fatal with --strict;
// a fatal run leaves no output file at all.
TEST(DefaultMode, MalformedAndTruncatedLinesSkippedOrFatalWhenStrict) {
    std::string c;
    c += line(100, "/proc/meminfo", meminfo_text(1000, 250, 500));
    c += "this is not a record\n";  // line 2
    c += line(101, "/proc/meminfo", meminfo_text(1000, 250, 500));
    c += line(102, "/proc/meminfo", "MemTotal: lots kB\n");  // line 4: unparsable measurement
    c += "{\"timestamp\":103,\"subsys";                      // line 5: crash mid-write
    {
        TempDir d;
        auto r = run_on(d, c);
        EXPECT_EQ(r.events.malformed_lines, 1u);
        EXPECT_EQ(r.events.bad_measurements, 1u);
        EXPECT_EQ(r.events.truncated_lines, 1u);
        EXPECT_EQ(rows(d, "proc/meminfo"), v({"101,250,500,750,75.00,0,0,0,0.00,0,0,0"}));
    }
    {
        TempDir d;
        try {
            run_on(d, c, true);
            FAIL() << "strict run succeeded";
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
        }
        EXPECT_FALSE(fs::exists(d / "out" / "proc" / "meminfo"));
        EXPECT_FALSE(fs::exists(d / "out" / "perf.csv"));
    }
    {
        TempDir d;
        std::string only_truncated = line(100, "/proc/meminfo", meminfo_text(1, 1, 1)) +
                                     line(101, "/proc/meminfo", meminfo_text(1, 1, 1)) + "{\"ti";
        try {
            run_on(d, only_truncated, true);
            FAIL() << "strict run succeeded";
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
        }
    }
}

TEST(DefaultMode, UnknownSubsystemsAreListed) {
    TempDir d;
    std::string c = line(100, "/proc/made-up", "{}") + line(101, "/proc/made-up", "{}") +
                    line(101, "container/docker/abc", "{}") +
                    line(101, "/proc/meminfo", meminfo_text(1, 1, 1));
    auto r = run_on(d, c);
    ASSERT_EQ(r.events.unknown_subsystems.size(), 1u);  // container records are known
    EXPECT_EQ(r.events.unknown_subsystems.at("/proc/made-up"), 2u);
    EXPECT_FALSE(fs::exists(d / "out" / "proc" / "made-up"));
    EXPECT_TRUE(fs::exists(d / "out" / "containers.csv"));
}

// sar -B and sar -q outputs.
TEST(DefaultMode, VmstatAndLoadavgColumns) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/vmstat",
              "pgpgin 100\npgpgout 200\npgfault 1000\npgmajfault 10\npgfree 500\npgscan_kswapd 40\n"
              "pgscan_direct 10\npgsteal_kswapd 25\n");
    c += line(100, "/proc/loadavg", "0.10 0.20 0.30 1/300 999\n");
    c += line(101, "/proc/vmstat",
              "pgpgin 150\npgpgout 300\npgfault 1300\npgmajfault 12\npgfree 600\npgscan_kswapd 80\n"
              "pgscan_direct 20\npgsteal_kswapd 50\n");
    c += line(101, "/proc/loadavg", "0.52 0.58 0.59 2/345 12345\n");
    run_on(d, c);
    EXPECT_EQ(
        read_file(d / "out" / "proc" / "vmstat").substr(0, 93),
        "#timestamp,pgpgin/s,pgpgout/s,fault/s,majflt/s,pgfree/s,pgscank/s,pgscand/s,pgsteal/s,"
        "%vmeff\n");
    // Over 1 s: 50 kB in, 100 kB out, 300 faults, 2 major, 100 freed, 40+10 scanned, 25
    // stolen; %vmeff = 25/(40+10)*100 = 50.
    EXPECT_EQ(rows(d, "proc/vmstat"),
              v({"101,50.00,100.00,300.00,2.00,100.00,40.00,10.00,25.00,50.00"}));
    EXPECT_EQ(rows(d, "proc/loadavg"), v({"101,2,345,0.52,0.58,0.59"}));
}

// perf.csv: one row per tick from the second, cumulative counters, CPU % over the interval.
TEST(DefaultMode, WideCsvContract) {
    TempDir d;
    std::string c;
    // CPU Δ: user 100, system 50, idle 200, iowait 50; total 400: user 25, system 12.5,
    // iowait 12.5, idle 50.
    c += line(100, "/proc/stat", stat_text({100, 0, 100, 800, 0}, {{100, 0, 100, 800, 0}}));
    c += line(100, "/proc/meminfo", meminfo_text(1000, 250, 500));
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 100, 2, 200, 3}}));
    c += line(100, "/proc/diskstats", diskstats_text({{"sda", 9, 2, 3, 8}}));
    c += line(101, "/proc/stat", stat_text({200, 0, 150, 1000, 50}, {{200, 0, 150, 1000, 50}}));
    c += line(101, "/proc/meminfo", meminfo_text(1000, 250, 500));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 111, 3, 222, 4}}));
    c += line(101, "/proc/diskstats", diskstats_text({{"sda", 10, 4, 3, 8}}));
    // No /proc/stat and no sda: empty cells.
    c += line(102, "/proc/meminfo", meminfo_text(1000, 125, 250));
    c += line(102, "/proc/net/dev", net_dev_text({{"eth0", 1111, 13, 2222, 14}}));
    run_on(d, c);
    EXPECT_EQ(
        read_file(d / "out" / "perf.csv"),
        "timestamp,machine_id,cpu_user,cpu_system,cpu_idle,cpu_iowait,mem_total,mem_free,"
        "mem_available,disk_sda_reads,disk_sda_writes,disk_sda_read_bytes,disk_sda_write_bytes,"
        "net_eth0_rx_bytes,net_eth0_tx_bytes,net_eth0_rx_packets,net_eth0_tx_packets\n"
        // memory x1024; sectors x512: 4*512 = 2048, 8*512 = 4096
        "101,web-01,25.00,12.50,50.00,12.50,1024000,256000,512000,10,3,2048,4096,111,222,3,4\n"
        "102,web-01,,,,,1024000,128000,256000,,,,,1111,2222,13,14\n");
    EXPECT_EQ(rows(d, "proc/stat"), v({"101,-1,25.00,0.00,12.50,12.50,0.00,50.00",
                                       "101,0,25.00,0.00,12.50,12.50,0.00,50.00"}));
}

// Compat mode reproduces the original's stop on a CPU count change: fatal, nothing written.
TEST(CompatMode, CpuCountChangeIsFatalAndWritesNothing) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/stat", stat_text({1, 0, 0, 1, 0}, {{1, 0, 0, 1, 0}}));
    c += line(101, "/proc/stat", stat_text({2, 0, 0, 2, 0}, {{2, 0, 0, 2, 0}}));
    c += line(102, "/proc/stat", stat_text({3, 0, 0, 3, 0}, {{2, 0, 0, 2, 0}, {1, 0, 0, 1, 0}}));
    EXPECT_THROW(run_on(d, c, false, Mode::compat), pc::core::UserError);
    EXPECT_FALSE(fs::exists(d / "out" / "proc" / "stat"));
}

// Compat mode: first rows at record 3 against record 1; record 2 header only.
TEST(CompatMode, StateMachine) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 100, 0, 0}}));
    std::string two = line(105, "/proc/net/dev", net_dev_text({{"eth0", 0, 150, 0, 0}}));
    run_on(d, c + two, false, Mode::compat);
    EXPECT_EQ(read_file(d / "out" / "proc" / "net" / "dev"),
              "#timestamp,IFACE,rxpck/s,txpck/s,rxkB/s,txkB/s,rxcmp/s,txcmp/s,rxmcst/s,%ifutil\n");
    TempDir d2;
    c += two + line(110, "/proc/net/dev", net_dev_text({{"eth0", 0, 300, 0, 0}})) +
         line(115, "/proc/net/dev", net_dev_text({{"eth0", 0, 310, 0, 0}}));
    run_on(d2, c, false, Mode::compat);
    // 110 vs 100: 200/1000*100 = 20; 115 vs 110: 10/500*100 = 2.
    EXPECT_EQ(rows(d2, "proc/net/dev"),
              v({"110,eth0,20,0,0,0,0,0,0,0", "115,eth0,2,0,0,0,0,0,0,0"}));
    TempDir d3;
    run_on(d3, line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 100, 0, 0}})), false,
           Mode::compat);
    EXPECT_FALSE(fs::exists(d3 / "out" / "proc" / "net" / "dev"));
}

// The original's slot list has length max N + 1: a CPU going offline in the middle of the
// range keeps the length, so the original (and compat mode) does not stop; the offline CPU's
// all-zero slot gives an idle row. Only a change of the highest CPU number stops it.
TEST(CompatMode, CpuOfflineInTheMiddleGivesAnIdleRowLikeTheOriginal) {
    TempDir d;
    std::string c;
    const Cpu a{1, 0, 0, 1, 0}, b{2, 0, 0, 2, 0}, z{};
    c += line(100, "/proc/stat", stat_text(a, {a, a, a}));
    c += line(101, "/proc/stat", stat_text(b, {b, b, b}));
    c += line(102, "/proc/stat", stat_text(b, {b, z, b}, 1767798686, {true, false, true}));
    run_on(d, c, false, Mode::compat);
    // 102 against 100: each present CPU 0.01 -> 0.02 user and idle: 50 / idle 100 - 50 = 50;
    // cpu1's zero slot: busy did not grow -> 0,0,0,0,0,100.
    EXPECT_EQ(rows(d, "proc/stat"), v({"102,-1,50,0,0,0,0,50", "102,0,50,0,0,0,0,50",
                                       "102,1,0,0,0,0,0,100", "102,2,50,0,0,0,0,50"}));
    TempDir d2;
    c += line(103, "/proc/stat", stat_text(b, {b, b}));  // cpu2, the highest, goes offline
    EXPECT_THROW(run_on(d2, c, false, Mode::compat), pc::core::UserError);
}

// /proc/uptime is not the original's input: compat mode reads it and changes nothing.
TEST(CompatMode, UptimeRecordsChangeNothing) {
    std::string with, without;
    for (std::int64_t ts : {100, 105, 110}) {
        std::string net =
            line(ts, "/proc/net/dev",
                 net_dev_text({{"eth0", 0, static_cast<std::uint64_t>(100 + ts), 0, 0}}));
        with += line(ts, "/proc/uptime", std::to_string(ts * 3) + ".37 1.00\n") + net;
        without += net;
    }
    TempDir a, b;
    run_on(a, with, false, Mode::compat);
    run_on(b, without, false, Mode::compat);
    EXPECT_EQ(read_file(a / "out" / "proc" / "net" / "dev"),
              read_file(b / "out" / "proc" / "net" / "dev"));
    EXPECT_EQ(rows(a, "proc/net/dev"), v({"110,eth0,1,0,0,0,0,0,0,0"}));
}
