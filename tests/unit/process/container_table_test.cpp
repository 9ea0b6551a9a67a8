// containers.csv and services.csv on hand-made collections: the converter's rules (compat) and
// the default mode's fixes; every expected cell is worked out in the comment next to it.
#include <gtest/gtest.h>

#include <sstream>

#include "collection_builder.hpp"
#include "pc/core/error.hpp"
#include "pc/process/container_names.hpp"
#include "pc/process/processor.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::process::Mode;
using pc::test::Cpu;
using pc::test::line;
using pc::test::read_file;
using pc::test::TempDir;
using pc::test::write_file;

namespace {

const std::string kA = "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111";
const std::string kB = "bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222";

struct Sample {
    std::uint64_t usage = 0, user = 0, system = 0, mem = 0, mem_max = 0;
    std::string name;
    Sample() = default;
    Sample(std::uint64_t u, std::uint64_t us, std::uint64_t sy, std::uint64_t m, std::uint64_t mm,
           std::string n = {})
        : usage(u), user(us), system(sy), mem(m), mem_max(mm), name(std::move(n)) {}
};

std::string measurement(const std::string& id, const Sample& s, const std::string& runtime) {
    return "{\"container_id\":\"" + id + "\",\"container_name\":\"" + s.name +
           "\",\"cpu_period\":100000,\"cpu_periods\":0,\"cpu_quota\":0,\"cpu_system_usec\":" +
           std::to_string(s.system) + ",\"cpu_throttled\":0,\"cpu_throttled_usec\":0," +
           "\"cpu_usage_usec\":" + std::to_string(s.usage) +
           ",\"cpu_user_usec\":" + std::to_string(s.user) +
           ",\"io_read_bytes\":1,\"io_read_ops\":2,\"io_write_bytes\":3,\"io_write_ops\":4," +
           "\"memory_anon\":0,\"memory_current\":" + std::to_string(s.mem) +
           ",\"memory_file\":0,\"memory_kernel\":0,\"memory_max\":" + std::to_string(s.mem_max) +
           ",\"memory_slab\":0,\"pids_current\":5,\"pids_max\":0,\"runtime\":\"" + runtime + "\"}";
}

std::string container(std::int64_t ts, const std::string& id, const Sample& s,
                      const std::string& runtime = "docker") {
    return line(ts, "container/" + runtime + "/" + id.substr(0, 12), measurement(id, s, runtime));
}

std::string run(const TempDir& dir, const std::string& collection, Mode mode,
                const std::string& names = "", const std::string& file = "containers.csv") {
    write_file(dir / "c.json", collection);
    pc::process::ProcessOptions o;
    o.collection = (dir / "c.json").string();
    o.outdir = dir / "out";
    o.mode = mode;
    if (!names.empty()) {
        write_file(dir / "names.json", names);
        o.container_names = dir / "names.json";
    }
    pc::process::run_process(o);
    return read_file(dir / "out" / file);
}

const std::string kHeader =
    "timestamp,container_id,container_name,runtime,cpu_percent,cpu_user_percent,"
    "cpu_system_percent,memory_current_bytes,memory_max_bytes,memory_percent,io_read_bytes,"
    "io_write_bytes,io_read_ops,io_write_ops,pids_current\r\n";

}  // namespace

TEST(ContainersCsv, CompatGroupsByFirstAppearanceAndSortsByTime) {
    TempDir dir;
    // B first, then A; A's records out of order in the file.
    std::string c = container(100, kB, {0, 0, 0, 50, 200}) +
                    container(110, kA, {3000000, 2000000, 1000000, 10, 0}) +
                    container(100, kA, {1000000, 500000, 500000, 10, 0}) +
                    container(110, kB, {100, 0, 0, 50, 200});
    std::string csv = run(dir, c, Mode::compat);
    // A, 100 -> 110: Δusage 2e6 us / 1e6 / 10 s * 100 = 20 %, user 1.5e6 -> 15 %, system 5 %.
    // memory 10 of unlimited (0): 0.00. B: 50 / 200 = 25 %; Δusage 100 us -> 0.001 % -> 0.00.
    EXPECT_EQ(csv, kHeader + "100," + kB +
                       ",bbbbbbbbbbbb,docker,,,,50,200,25.00,1,3,2,4,5\r\n"
                       "110," +
                       kB +
                       ",bbbbbbbbbbbb,docker,0.00,0.00,0.00,50,200,25.00,1,3,2,4,5\r\n"
                       "100," +
                       kA +
                       ",aaaaaaaaaaaa,docker,,,,10,0,0.00,1,3,2,4,5\r\n"
                       "110," +
                       kA + ",aaaaaaaaaaaa,docker,20.00,15.00,5.00,10,0,0.00,1,3,2,4,5\r\n");
}

TEST(ContainersCsv, CompatCapsAt800AndPrintsNegativesAndEmptyOnZeroInterval) {
    TempDir dir;
    std::string c = container(100, kA, {0, 0, 0, 1, 1}) +
                    // 100e6 us in 10 s = 1000 % -> capped at 800.00
                    container(110, kA, {100000000, 100000000, 0, 1, 1}) +
                    // same timestamp: Δt = 0 -> empty
                    container(110, kA, {100000000, 100000000, 0, 1, 1}) +
                    // restart: counters back to 1e6 -> (1e6 - 1e8) / 1e6 / 10 * 100 = -990.00
                    container(120, kA, {1000000, 1000000, 0, 1, 1});
    std::string csv = run(dir, c, Mode::compat);
    EXPECT_EQ(csv, kHeader + "100," + kA +
                       ",aaaaaaaaaaaa,docker,,,,1,1,100.00,1,3,2,4,5\r\n"
                       "110," +
                       kA +
                       ",aaaaaaaaaaaa,docker,800.00,800.00,0.00,1,1,100.00,1,3,2,4,5\r\n"
                       "110," +
                       kA +
                       ",aaaaaaaaaaaa,docker,,,,1,1,100.00,1,3,2,4,5\r\n"
                       "120," +
                       kA + ",aaaaaaaaaaaa,docker,-990.00,-990.00,0.00,1,1,100.00,1,3,2,4,5\r\n");
}

TEST(ContainersCsv, DefaultCapsAtTheHostsCpusLeavesRestartsAndUnlimitedEmpty) {
    TempDir dir;
    // A host /proc/stat with 2 CPUs: the cap is 200 %.
    std::string stat =
        line(100, "/proc/stat", pc::test::stat_text(Cpu{1, 0, 1, 10}, {Cpu{}, Cpu{}})) +
        line(110, "/proc/stat", pc::test::stat_text(Cpu{5, 0, 5, 20}, {Cpu{}, Cpu{}}));
    std::string c = stat + container(100, kA, {0, 0, 0, 1, 0}) +
                    container(110, kA, {100000000, 10000000, 0, 1, 0}) +
                    container(120, kA, {1000000, 1000000, 0, 1, 4});
    std::string csv = run(dir, c, Mode::standard);
    // 110: 1000 % -> 200.00; user 1e7 -> 100.00. 120: negative -> empty; system 0 -> 0.00.
    // memory_max 0 (unlimited): no percentage; 1 of 4 -> 25.00.
    EXPECT_EQ(csv, kHeader + "100," + kA +
                       ",aaaaaaaaaaaa,docker,,,,1,0,,1,3,2,4,5\r\n"
                       "110," +
                       kA +
                       ",aaaaaaaaaaaa,docker,200.00,100.00,0.00,1,0,,1,3,2,4,5\r\n"
                       "120," +
                       kA + ",aaaaaaaaaaaa,docker,,,0.00,1,4,25.00,1,3,2,4,5\r\n");
    // Host files are what they are without container records.
    TempDir plain;
    run(plain, stat, Mode::standard, "", "proc/stat");
    EXPECT_EQ(read_file(dir / "out" / "proc/stat"), read_file(plain / "out" / "proc/stat"));
}

TEST(ContainersCsv, NamesFromTheFileThenTheRecordThenTheShortId) {
    TempDir dir;
    std::string c =
        container(100, kA, {0, 0, 0, 1, 1, "from-record"}) +
        container(100, kB, {0, 0, 0, 1, 1, "b-record"}) +
        line(100, "container/podman/cccccccccccc", measurement("cccccccccccc3333", {}, "podman"));
    // The names file with the stray "\n," separators of real runs, and a trailing comma.
    std::string names = "{\n  \"" + kB + "\": \"b-file\"\n,\n,\n}";
    std::string def = run(dir, c, Mode::standard, names);
    EXPECT_NE(def.find("," + kA + ",from-record,docker,"), std::string::npos) << def;
    EXPECT_NE(def.find("," + kB + ",b-file,docker,"), std::string::npos) << def;
    EXPECT_NE(def.find(",cccccccccccc3333,cccccccccccc,podman,"), std::string::npos) << def;
    // compat: the converter ignores the record's name.
    TempDir dir2;
    std::string compat = run(dir2, c, Mode::compat, names);
    EXPECT_NE(compat.find("," + kA + ",aaaaaaaaaaaa,docker,"), std::string::npos) << compat;
    EXPECT_NE(compat.find("," + kB + ",b-file,docker,"), std::string::npos) << compat;
}

TEST(ContainersCsv, ServicesGoToServicesCsvWithTheWholeUnitName) {
    TempDir dir;
    std::string c = line(100, "service/systemd/ssh.service",
                         measurement("ssh.service", {0, 0, 0, 2, 4}, "systemd")) +
                    line(105, "service/systemd/ssh.service",
                         measurement("ssh.service", {500000, 250000, 250000, 2, 4}, "systemd"));
    std::string csv = run(dir, c, Mode::standard, "", "services.csv");
    EXPECT_EQ(csv,
              kHeader +
                  "100,ssh.service,ssh.service,systemd,,,,2,4,50.00,1,3,2,4,5\r\n"
                  "105,ssh.service,ssh.service,systemd,10.00,5.00,5.00,2,4,50.00,1,3,2,4,5\r\n");
    EXPECT_FALSE(fs::exists(dir / "out" / "containers.csv"));
}

TEST(ContainersCsv, BadMeasurementsAreSkippedAndCounted) {
    TempDir dir;
    std::string c = line(100, "container/docker/aaaaaaaaaaaa", "not json") +
                    line(100, "container/docker/aaaaaaaaaaaa", "{\"cpu_usage_usec\":-1}") +
                    line(100, "container/docker", "{}") + container(100, kA, {});
    write_file(dir / "c.json", c);
    pc::process::ProcessOptions o;
    o.collection = (dir / "c.json").string();
    o.outdir = dir / "out";
    auto r = pc::process::run_process(o);
    EXPECT_EQ(r.events.bad_measurements, 3u);
    EXPECT_EQ(r.records, 1u);
    EXPECT_TRUE(r.events.unknown_subsystems.empty());
}

TEST(ContainersCsv, CompatKeepsTheSignOfANegativeThatRoundsToZero) {
    TempDir dir;
    // usage 1 us back in 10 s: -1e-05 %, which the converter's "%.2f" prints as -0.00; user
    // and system unchanged: 0.00. Default mode leaves the negative empty.
    std::string c =
        container(100, kA, {1000, 1000, 0, 1, 1}) + container(110, kA, {999, 1000, 0, 1, 1});
    EXPECT_EQ(run(dir, c, Mode::compat),
              kHeader + "100," + kA + ",aaaaaaaaaaaa,docker,,,,1,1,100.00,1,3,2,4,5\r\n110," + kA +
                  ",aaaaaaaaaaaa,docker,-0.00,0.00,0.00,1,1,100.00,1,3,2,4,5\r\n");
    TempDir dir2;
    EXPECT_EQ(run(dir2, c, Mode::standard),
              kHeader + "100," + kA + ",aaaaaaaaaaaa,docker,,,,1,1,100.00,1,3,2,4,5\r\n110," + kA +
                  ",aaaaaaaaaaaa,docker,,0.00,0.00,1,1,100.00,1,3,2,4,5\r\n");
}
