// pcc's container[*] and service[*] end to end: byte for byte on the tree testdata/cgroup-v2,
// structure on this machine's live cgroup tree, and pcc started as pcc-container-linux.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

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

fs::path tree() {
    return pc::test::source_dir() / "testdata/cgroup-v2";
}

// The 20 numbers in the original's alphabetical key order: cpu_period, cpu_periods, cpu_quota,
// cpu_system_usec, cpu_throttled, cpu_throttled_usec, cpu_usage_usec, cpu_user_usec,
// io_read_bytes, io_read_ops, io_write_bytes, io_write_ops, memory_anon, memory_current,
// memory_file, memory_kernel, memory_max, memory_slab, pids_current, pids_max.
struct Expected {
    std::string subsystem;
    std::string id;
    std::string name;
    std::string runtime;
    std::vector<unsigned long long> n;
};

// The record line written out by hand: the measurement's quotes escaped once more.
std::string record_line(std::int64_t ts, const Expected& e) {
    static const char* keys[] = {
        "cpu_period",         "cpu_periods",    "cpu_quota",     "cpu_system_usec", "cpu_throttled",
        "cpu_throttled_usec", "cpu_usage_usec", "cpu_user_usec", "io_read_bytes",   "io_read_ops",
        "io_write_bytes",     "io_write_ops",   "memory_anon",   "memory_current",  "memory_file",
        "memory_kernel",      "memory_max",     "memory_slab",   "pids_current",    "pids_max"};
    std::string m =
        "{\\\"container_id\\\":\\\"" + e.id + "\\\",\\\"container_name\\\":\\\"" + e.name + "\\\"";
    for (std::size_t i = 0; i < 20; ++i) {
        m += ",\\\"" + std::string(keys[i]) + "\\\":" + std::to_string(e.n.at(i));
    }
    m += ",\\\"runtime\\\":\\\"" + e.runtime + "\\\"}";
    return "{\"timestamp\":" + std::to_string(ts) + ",\"subsystem\":\"" + e.subsystem +
           "\",\"measurement\":\"" + m + "\"}";
}

const std::vector<Expected>& containers() {
    static const std::vector<Expected> c = {
        {"container/docker/e26b9c7aa033",
         "e26b9c7aa033038085f6dbfcce2149aacd1b99bdad0cb910d4897d4af256b8b3",
         "",
         "docker",
         {100000,   0,  0,      446493,   0,        0,       2923730, 2477237, 50900992, 96,
          11247616, 17, 110592, 58802176, 57663488, 1028096, 0,       524288,  1,        0}},
        {"container/cri-o/a1b2c3d4e5f6",
         "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
         "",
         "cri-o",
         {100000, 0, 0,        177000,   0,       0,       777000, 600000,  0, 0,
          0,      0, 16777216, 33554432, 8388608, 2097152, 0,      1048576, 3, 0}},
        {"container/containerd/3f1c0a9b8e7d",
         "3f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615e4d3",
         "",
         "containerd",
         {100000,   120,     50000,     8102155, 3,   1500000,  48213377,
          40111222, 1048576, 256,       2097152, 512, 73400320, 104857600,
          20971520, 4194304, 268435456, 2097152, 12,  1024}},
        {"container/podman/5e5d5c5b5a59",
         "5e5d5c5b5a595857565554535251504f4e4d4c4b4a494847464544434241403f",
         "",
         "podman",
         {100000, 0, 0,       23456,   0,       0,      123456, 100000, 0, 0,
          0,      0, 2097152, 4194304, 1048576, 524288, 0,      262144, 0, 0}},
        {"container/docker/7892fa5ced3d",
         "7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d",
         "LT-suse-bench-3",
         "docker",
         {100000,    6431,          100000,    6284736,   6169,
          590702458, 629771818,     623487081, 0,         0,
          351330304, 9977,          2785280,   363417600, 321363968,
          39268352,  2147483648ull, 15728640,  98,        4915}},
        {"container/podman/0fedcba98765",
         "0fedcba9876543210fedcba9876543210fedcba9876543210fedcba987654321",
         "",
         "podman",
         {0, 0, 0, 11111, 0, 0, 99999, 88888, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    };
    return c;
}

const std::vector<Expected>& services() {
    static const std::vector<Expected> s = {
        {"service/systemd/containerd.service",
         "containerd.service",
         "",
         "systemd",
         {100000, 0, 0,        28000000, 0,        0,       88000000, 60000000, 1000, 3,
          2000,   4, 31457280, 52428800, 16777216, 4194304, 0,        2097152,  14,   4915}},
        {"service/systemd/ssh.service",
         "ssh.service",
         "",
         "systemd",
         {100000, 0, 0,       500000,  0,       0,       1500000, 1000000, 2048000, 100,
          4096,   1, 1048576, 6291456, 4194304, 1048576, 0,       524288,  1,       4915}},
    };
    return s;
}

std::int64_t timestamp_of(const std::string& line) {
    return std::stoll(line.substr(13, line.find(',') - 13));
}

std::map<std::string, std::string> tree_env(const pc::test::TempDir& dir) {
    return {{"PCC_CGROUPROOT", tree().string()},
            {"PCC_DOCKER_ROOT", (pc::test::source_dir() / "testdata/docker-root").string()},
            {"PCC_MODE", "local"},
            {"PCC_COLLECTION", (dir / "c.json").string()}};
}

}  // namespace

TEST(PccContainers, RecordedTreeByteForByte) {
    pc::test::TempDir dir;
    auto env = tree_env(dir);
    env["PCC_SUBSYSTEMS"] = "service[*],container[*]";
    env["PCC_DURATION"] = "2s";
    env["PCC_FREQUENCY"] = "1s";
    auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 20s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(pc::test::read_file(dir / "c.json"));
    const std::size_t per_tick = containers().size() + services().size();
    ASSERT_EQ(lines.size(), 2 * per_tick);
    for (std::size_t t = 0; t < 2; ++t) {
        std::int64_t ts = timestamp_of(lines[t * per_tick]);
        if (t == 1) {
            EXPECT_EQ(ts, timestamp_of(lines[0]) + 1);
        }
        std::size_t i = t * per_tick;
        for (const auto& e : containers()) EXPECT_EQ(lines[i++], record_line(ts, e));
        for (const auto& e : services()) EXPECT_EQ(lines[i++], record_line(ts, e));
    }
}

TEST(PccContainers, LiveCgroupTreeHasTheRecordStructure) {
    pc::test::TempDir dir;
    auto r = pc::test::run({(pc::test::bin_dir() / "pcc").string()},
                           {{"PCC_SUBSYSTEMS", "default,container[*],service[*]"},
                            {"PCC_DURATION", "1s"},
                            {"PCC_FREQUENCY", "1s"},
                            {"PCC_MODE", "local"},
                            {"PCC_COLLECTION", (dir / "c.json").string()}},
                           20s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::size_t cgroup_records = 0;
    for (const auto& line : lines_of(pc::test::read_file(dir / "c.json"))) {
        auto outer = nlohmann::json::parse(line);
        std::string sub = outer["subsystem"];
        bool container = sub.starts_with("container/"), service = sub.starts_with("service/");
        if (!container && !service) continue;
        ++cgroup_records;
        auto m = nlohmann::json::parse(outer["measurement"].get<std::string>());
        ASSERT_EQ(m.size(), 23u) << line;
        std::string previous;
        for (const auto& [key, value] : m.items()) {
            EXPECT_LT(previous, key);  // alphabetical
            previous = key;
            if (key == "container_id" || key == "container_name" || key == "runtime") {
                EXPECT_TRUE(value.is_string()) << key;
            } else {
                EXPECT_TRUE(value.is_number_unsigned()) << key;
            }
        }
        if (container) {
            EXPECT_EQ(sub, "container/" + m["runtime"].get<std::string>() + "/" +
                               m["container_id"].get<std::string>().substr(0, 12));
        } else {
            EXPECT_EQ(sub, "service/systemd/" + m["container_id"].get<std::string>());
        }
    }
    // Whether this machine runs containers or has a cgroup v2 tree at all is not known here;
    // pcc must say so when there is no v2 tree instead of failing.
    if (!fs::exists("/sys/fs/cgroup/cgroup.controllers") &&
        !fs::exists("/sys/fs/cgroup/unified/cgroup.controllers")) {
        EXPECT_EQ(cgroup_records, 0u);
        EXPECT_NE(r.err.find("not a cgroup v2 hierarchy"), std::string::npos) << r.err;
    }
}

TEST(PccContainers, PccContainerLinuxEndToEnd) {
    pc::test::TempDir dir;
    fs::create_symlink(pc::test::bin_dir() / "pcc", dir / "pcc-container-linux");
    auto env = tree_env(dir);
    env.erase("PCC_COLLECTION");
    env["PCC_CONTAINER_COLLECTION"] = (dir / "c.json").string();
    env["PCC_CONTAINER_DURATION"] = "2s";
    env["PCC_CONTAINER_FREQUENCY"] = "1s";
    // pcc's own variables do not apply under this name.
    env["PCC_DURATION"] = "1h";
    env["PCC_SUBSYSTEMS"] = "/proc/stat";
    auto r = pc::test::run({(dir / "pcc-container-linux").string()}, env, 20s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto out = lines_of(r.out);
    ASSERT_EQ(out.size(), 7u) << r.out;
    EXPECT_TRUE(out[0].starts_with("Performance Collector Client for Containers v")) << out[0];
    EXPECT_EQ(out[1], "Collection file: " + (dir / "c.json").string());
    EXPECT_EQ(out[2], "Duration: 2s");
    EXPECT_EQ(out[3], "Frequency: 1s");
    EXPECT_EQ(out[4], "Detected runtimes: [containerd cri-o docker podman]");
    EXPECT_EQ(out[5], "Starting collection...");
    EXPECT_EQ(out[6], "Collection complete");
    // First sample at the start: 2s / 1s + 1 = 3 ticks, containers only.
    auto lines = lines_of(pc::test::read_file(dir / "c.json"));
    ASSERT_EQ(lines.size(), 3 * containers().size());
    for (std::size_t t = 0; t < 3; ++t) {
        std::int64_t ts = timestamp_of(lines[t * containers().size()]);
        EXPECT_EQ(ts, timestamp_of(lines[0]) + static_cast<std::int64_t>(t));
        std::size_t i = t * containers().size();
        for (const auto& e : containers()) EXPECT_EQ(lines[i++], record_line(ts, e));
    }
    // --help names the container variables.
    auto help = pc::test::run({(dir / "pcc-container-linux").string(), "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("PCC_CONTAINER_DURATION"), std::string::npos) << help.out;
    EXPECT_EQ(help.out.find("PCC_SUBSYSTEMS"), std::string::npos) << help.out;
}
