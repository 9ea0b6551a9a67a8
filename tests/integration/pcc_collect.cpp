// pcc end to end: byte-for-byte against a recorded /proc tree, structure against the live /proc.
#include <gtest/gtest.h>
#include <sys/statfs.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<pc::record::Record> decode_all(const std::string& text) {
    std::vector<pc::record::Record> records;
    for (const auto& line : lines_of(text)) {
        auto d = pc::record::decode_record(line);
        EXPECT_TRUE(d.record.has_value()) << d.error << ": " << line.substr(0, 120);
        if (d.record) records.push_back(*d.record);
    }
    return records;
}

// The statfs[*] line written by hand from statfs(2), independently of pcc's code.
std::string statfs_line(const std::string& mount_point) {
    struct statfs st {};
    EXPECT_EQ(::statfs(mount_point.c_str(), &st), 0) << mount_point;
    return "{\"mount_point\":\"" + mount_point +
           "\",\"block_size\":" + std::to_string(static_cast<unsigned long long>(st.f_bsize)) +
           ",\"blocks_total\":" + std::to_string(static_cast<unsigned long long>(st.f_blocks)) +
           ",\"blocks_free\":" + std::to_string(static_cast<unsigned long long>(st.f_bfree)) +
           ",\"blocks_available\":" + std::to_string(static_cast<unsigned long long>(st.f_bavail)) +
           "}\n";
}

// A copy of the recorded tree whose mount table names only /proc and /sys as "real" mounts:
// their statfs numbers never change, so the whole collection is deterministic. The other lines
// exercise the selection (nodev type, squashfs, second mount of a device).
fs::path make_procroot(const pc::test::TempDir& dir) {
    auto root = dir / "proc";
    fs::copy(pc::test::source_dir() / "testdata/procroot-vm2cpu", root,
             fs::copy_options::recursive);
    pc::test::write_file(root / "mounts",
                         "sysfs /sys sysfs rw,nosuid 0 0\n"
                         "/dev/fixture0 /proc ext4 rw,relatime 0 0\n"
                         "/dev/fixture0 /dev ext4 rw,relatime 0 0\n"
                         "/dev/loop7 /snap/core squashfs ro 0 0\n"
                         "overlay /var/lib/x overlay rw 0 0\n"
                         "/dev/fixture1 /sys xfs rw 0 0\n");
    return root;
}

struct Run {
    pc::test::ProcessResult result;
    std::string collection;
};

Run run_pcc(const pc::test::TempDir& dir, std::map<std::string, std::string> env) {
    auto out = dir / "collection.json";
    env.emplace("PCC_COLLECTION", out.string());
    env.emplace("PCC_FREQUENCY", "1s");
    env.emplace("PCC_MODE", "local");
    auto result = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 20s);
    return {result, fs::exists(out) ? pc::test::read_file(out) : ""};
}

}  // namespace

TEST(PccCollect, RecordedProcrootByteForByte) {
    pc::test::TempDir dir;
    auto root = make_procroot(dir);
    auto run = run_pcc(dir, {{"PCC_PROCROOT", root.string()}, {"PCC_DURATION", "3s"}});
    ASSERT_EQ(run.result.exit_code, 0) << run.result.err;

    auto lines = lines_of(run.collection);
    ASSERT_EQ(lines.size(), 16u) << run.collection.substr(0, 300);
    // Timestamps from the output: first record's, then one second per tick.
    auto first = pc::record::decode_record(lines[0]);
    ASSERT_TRUE(first.record) << first.error;
    std::int64_t t0 = first.record->timestamp;

    std::string statfs = statfs_line("/proc") + statfs_line("/sys");
    std::string expected;
    for (std::int64_t tick = 0; tick < 3; ++tick) {
        std::int64_t ts = t0 + tick;
        if (tick == 0) {
            expected += pc::record::encode_record(
                {ts, "/proc/cpuinfo", pc::test::read_file(root / "cpuinfo")});
        }
        for (const char* f : {"stat", "meminfo", "net/dev", "diskstats"}) {
            expected += pc::record::encode_record(
                {ts, std::string("/proc/") + f, pc::test::read_file(root / f)});
        }
        expected += pc::record::encode_record({ts, "statfs[*]", statfs});
    }
    EXPECT_EQ(run.collection, expected);
}

TEST(PccCollect, RecordedProcrootWithExtras) {
    pc::test::TempDir dir;
    auto root = make_procroot(dir);
    auto run = run_pcc(dir, {{"PCC_PROCROOT", root.string()},
                             {"PCC_DURATION", "2s"},
                             {"PCC_SUBSYSTEMS", "/proc/loadavg,/proc/stat,/proc/vmstat"}});
    ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
    auto records = decode_all(run.collection);
    ASSERT_EQ(records.size(), 6u);
    std::int64_t t0 = records[0].timestamp;
    std::string expected;
    for (std::int64_t ts : {t0, t0 + 1}) {
        for (const char* f : {"stat", "vmstat", "loadavg"}) {
            expected += pc::record::encode_record(
                {ts, std::string("/proc/") + f, pc::test::read_file(root / f)});
        }
    }
    EXPECT_EQ(run.collection, expected);
}

TEST(PccCollect, LiveProcStructure) {
    pc::test::TempDir dir;
    auto run = run_pcc(dir, {{"PCC_DURATION", "3s"}, {"PCC_PROCROOT", "/proc"}});
    ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
    ASSERT_FALSE(run.collection.empty());
    EXPECT_EQ(run.collection.back(), '\n');
    auto records = decode_all(run.collection);
    ASSERT_EQ(records.size(), 3u * 5u + 1u);  // ticks x subsystems, plus cpuinfo once

    const std::vector<std::string> order{"/proc/stat", "/proc/meminfo", "/proc/net/dev",
                                         "/proc/diskstats", "statfs[*]"};
    EXPECT_EQ(records[0].subsystem, "/proc/cpuinfo");
    EXPECT_NE(records[0].measurement.find("processor"), std::string::npos);
    std::int64_t t0 = records[0].timestamp;
    for (std::size_t i = 1; i < records.size(); ++i) {
        std::size_t tick = (i - 1) / 5;
        EXPECT_EQ(records[i].subsystem, order[(i - 1) % 5]) << i;
        EXPECT_EQ(records[i].timestamp, t0 + static_cast<std::int64_t>(tick)) << i;
        // The codec's canonical form: re-encoding reproduces the line.
        EXPECT_EQ(pc::record::encode_record(records[i]), lines_of(run.collection)[i] + "\n");
    }
    EXPECT_EQ(records[1].measurement.rfind("cpu ", 0), 0u);
    EXPECT_EQ(records[2].measurement.rfind("MemTotal:", 0), 0u);

    for (std::size_t tick = 0; tick < 3; ++tick) {
        const auto& m = records[1 + tick * 5 + 4].measurement;
        if (m.empty()) continue;  // a machine without device-backed mounts (some containers)
        EXPECT_EQ(m.back(), '\n');
        for (const auto& line : lines_of(m)) {
            auto j = nlohmann::json::parse(line);
            ASSERT_TRUE(j.is_object());
            std::vector<std::string> keys;
            for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
            EXPECT_EQ(j.size(), 5u);
            for (const char* k :
                 {"block_size", "blocks_total", "blocks_free", "blocks_available"}) {
                EXPECT_TRUE(j.at(k).is_number_unsigned()) << k;
            }
            EXPECT_TRUE(j.at("mount_point").is_string());
            // Key order as the original writes it.
            EXPECT_EQ(line.rfind("{\"mount_point\":", 0), 0u);
            EXPECT_LT(line.find("\"block_size\""), line.find("\"blocks_total\""));
            EXPECT_LT(line.find("\"blocks_total\""), line.find("\"blocks_free\""));
            EXPECT_LT(line.find("\"blocks_free\""), line.find("\"blocks_available\""));
        }
    }
}
