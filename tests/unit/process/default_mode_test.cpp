// Default (correct) mode on small hand-made collections; every expected value is worked out
// by hand in the comments next to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "collection_builder.hpp"
#include "pc/core/error.hpp"
#include "pc/process/go_float.hpp"
#include "pc/process/processor.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::process::go_float;
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
                     Mode mode = Mode::standard) {
    write_file(dir / "c.json", collection);
    ProcessOptions o;
    o.collection = (dir / "c.json").string();
    o.outdir = dir / "out";
    o.mode = mode;
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
    EXPECT_EQ(rows(d, "proc/meminfo"),
              v({"101,250,500,750,75,0,0,0,0,0,0,0", "102,250,500,750,75,0,0,0,0,0,0,0"}));
    // use = round((200-149)/200*100) = round(25.5) = 26 (half away from zero).
    EXPECT_EQ(rows(d, "statfs_ALL"), v({"101,/,4096,200,149,26", "102,/,4096,200,149,26"}));
}

// Rates use the jiffy interval when the tick has /proc/stat, else the timestamps.
TEST(DefaultMode, IntervalFromAggregateJiffiesElseTimestamps) {
    TempDir d;
    std::string c;
    // Two CPUs. Aggregate sums (user+nice+system+idle+iowait+irq+softirq+steal):
    // tick 100: 200+1800 = 2000; tick 101: 300+1904 = 2204 -> Δ 204 jiffies / 2 CPUs = 102
    // hundredths of a second, although the timestamps differ by exactly 1 s.
    c += line(100, "/proc/stat",
              stat_text({200, 0, 0, 1800, 0}, {{100, 0, 0, 900, 0}, {100, 0, 0, 900, 0}}));
    c += line(100, "/proc/net/dev", net_dev_text({{"eth0", 0, 1000, 0, 0}}));
    c += line(101, "/proc/stat",
              stat_text({300, 0, 0, 1904, 0}, {{150, 0, 0, 952, 0}, {150, 0, 0, 952, 0}}));
    c += line(101, "/proc/net/dev", net_dev_text({{"eth0", 104448, 1051, 0, 0}}));
    // Tick 103 has no /proc/stat: interval from the timestamps, 2 s = 200 hundredths.
    c += line(103, "/proc/net/dev", net_dev_text({{"eth0", 106496, 1081, 0, 0}}));
    run_on(d, c);
    // tick 101: rxpck/s = 51/102*100 = 50; rxkB/s = 104448/102*100/1024 = 1024*100/1024 = 100.
    // tick 103: rxpck/s = 30/200*100 = 15; rxkB/s = 2048/200*100/1024 = 1.
    EXPECT_EQ(rows(d, "proc/net/dev"),
              v({"101,eth0,50,0,100,0,0,0,0,0", "103,eth0,15,0,1,0,0,0,0,0"}));
    // CPU % keep the original's arithmetic (jiffies/100 first, %idle = 100 - busy share):
    // cpu0: busy 1 -> 1.5, all 10 -> 11.02.
    double cpu_d = (1.5 + 9.52) - (1.0 + 9.0);
    double usr = (1.5 - 1.0) / cpu_d * 100;
    double all_d = (3.0 + 19.04) - (2.0 + 18.0);
    double all_usr = (3.0 - 2.0) / all_d * 100;
    EXPECT_EQ(rows(d, "proc/stat"),
              v({"101,-1," + go_float(all_usr) + ",0,0,0,0," + go_float(100 - all_usr),
                 "101,0," + go_float(usr) + ",0,0,0,0," + go_float(100 - usr),
                 "101,1," + go_float(usr) + ",0,0,0,0," + go_float(100 - usr)}));
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
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,lo,0,0,0,0,0,0,0,0", "102,lo,0,0,0,0,0,0,0,0",
                                          "102,eth0,100,0,0,0,0,0,0,0"}));
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
    // 101: Δuser 1 s of Δall 1 s -> 100 %usr, %idle 100-100 = 0; rx 10/100*100 = 10.
    // 103: busy unchanged -> %usr 0 and %idle 100; jiffy interval (600-500)/1 = 100 -> rx 100.
    EXPECT_EQ(rows(d, "proc/stat"), v({"101,-1,100,0,0,0,0,0", "101,0,100,0,0,0,0,0",
                                       "103,-1,0,0,0,0,0,100", "103,0,0,0,0,0,0,100"}));
    EXPECT_EQ(rows(d, "proc/net/dev"),
              v({"101,eth0,10,0,0,0,0,0,0,0", "103,eth0,100,0,0,0,0,0,0,0"}));
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
    EXPECT_EQ(rows(d, "proc/net/dev"),
              v({"101,eth0,100,0,0,0,0,0,0,0", "102,eth0,200,0,0,0,0,0,0,0"}));
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
    // Jiffy intervals: 101: aggregate Δ200 over 1 online CPU (100 hundredths);
    // 102: 2 online CPUs now vs 1 before -> timestamps, 100 hundredths.
    // eth0 101: 50/100*100 = 50; 102: 20 -> 20; eth1 102: 2.
    EXPECT_EQ(rows(d, "proc/net/dev"), v({"101,eth0,50,0,0,0,0,0,0,0", "102,eth1,2,0,0,0,0,0,0,0",
                                          "102,eth0,20,0,0,0,0,0,0,0"}));
    // sdb: 5 reads/s, sda: 1 read/s, in the current record's order.
    EXPECT_EQ(rows(d, "proc/diskstats"), v({"101,sdb,5,5,0,0,0,0,0", "101,sda,1,1,0,0,0,0,0"}));
    // Aggregate and cpu0 split 50/50 each time; cpu1 vanished at 101, back (baseline) at 102.
    EXPECT_EQ(rows(d, "proc/stat"), v({"101,-1,50,0,0,0,0,50", "101,0,50,0,0,0,0,50",
                                       "102,-1,50,0,0,0,0,50", "102,0,50,0,0,0,0,50"}));
    EXPECT_EQ(r.events.appeared, 2u);  // eth1, cpu1
    EXPECT_EQ(r.events.vanished, 2u);  // lo, cpu1
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
    EXPECT_EQ(rows(d, "proc/meminfo"), v({"101,0,0,0,0,0,0,0,0,0,0,0"}));
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
        EXPECT_EQ(rows(d, "proc/meminfo"), v({"101,250,500,750,75,0,0,0,0,0,0,0"}));
    }
    {
        TempDir d;
        try {
            run_on(d, c, true);
            FAIL() << "strict run succeeded";
        } catch (const pc::UserError& e) {
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
        } catch (const pc::UserError& e) {
            EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
        }
    }
}

TEST(DefaultMode, UnknownSubsystemsAreListed) {
    TempDir d;
    std::string c = line(100, "container/docker/abc", "{}") +
                    line(101, "container/docker/abc", "{}") +
                    line(101, "/proc/meminfo", meminfo_text(1, 1, 1));
    auto r = run_on(d, c);
    ASSERT_EQ(r.events.unknown_subsystems.size(), 1u);
    EXPECT_EQ(r.events.unknown_subsystems.at("container/docker/abc"), 2u);
    EXPECT_FALSE(fs::exists(d / "out" / "container"));
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
    EXPECT_EQ(rows(d, "proc/vmstat"), v({"101,50,100,300,2,100,40,10,25,50"}));
    EXPECT_EQ(rows(d, "proc/loadavg"), v({"101,2,345,0.52,0.58,0.59"}));
}

// perf.csv: one row per tick from the second, cumulative counters, CPU % over the interval.
TEST(DefaultMode, WideCsvContract) {
    TempDir d;
    std::string c;
    // CPU /100: user 1 -> 2, system 1 -> 1.5, iowait 0 -> 0.5, idle 8 -> 10.
    // busy 2 -> 4, all 10 -> 14, D = 4: user 25, system 12.5, iowait 12.5, idle 100-50 = 50.
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
        "101,web-01,25,12.5,50,12.5,1024000,256000,512000,10,3,2048,4096,111,222,3,4\n"
        "102,web-01,,,,,1024000,128000,256000,,,,,1111,2222,13,14\n");
    EXPECT_EQ(rows(d, "proc/stat"), v({"101,-1,25,0,12.5,12.5,0,50", "101,0,25,0,12.5,12.5,0,50"}));
}

// Compat mode reproduces the original's stop on a CPU count change: fatal, nothing written.
TEST(CompatMode, CpuCountChangeIsFatalAndWritesNothing) {
    TempDir d;
    std::string c;
    c += line(100, "/proc/stat", stat_text({1, 0, 0, 1, 0}, {{1, 0, 0, 1, 0}}));
    c += line(101, "/proc/stat", stat_text({2, 0, 0, 2, 0}, {{2, 0, 0, 2, 0}}));
    c += line(102, "/proc/stat", stat_text({3, 0, 0, 3, 0}, {{2, 0, 0, 2, 0}, {1, 0, 0, 1, 0}}));
    EXPECT_THROW(run_on(d, c, false, Mode::compat), pc::UserError);
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
