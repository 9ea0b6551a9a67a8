#include "pc/collect/cgroup_stats.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <random>

#include "pc/collect/sampler.hpp"
#include "pc/record/go_json.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::collect::CgroupStats;
using pc::collect::read_cgroup_stats;

namespace {

fs::path tree() {
    return pc::test::source_dir() / "testdata/cgroup-v2";
}

}  // namespace

TEST(CgroupStats, EveryFileOfALimitedDockerContainer) {
    auto s = read_cgroup_stats(
        tree() /
        "system.slice/"
        "docker-7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d.scope");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cpu_usage_usec, 629771818u);
    EXPECT_EQ(s->cpu_user_usec, 623487081u);
    EXPECT_EQ(s->cpu_system_usec, 6284736u);
    EXPECT_EQ(s->cpu_periods, 6431u);
    EXPECT_EQ(s->cpu_throttled, 6169u);
    EXPECT_EQ(s->cpu_throttled_usec, 590702458u);
    EXPECT_EQ(s->cpu_quota, 100000u);
    EXPECT_EQ(s->cpu_period, 100000u);
    EXPECT_EQ(s->memory_current, 363417600u);
    EXPECT_EQ(s->memory_max, 2147483648u);
    EXPECT_EQ(s->memory_anon, 2785280u);
    EXPECT_EQ(s->memory_file, 321363968u);
    EXPECT_EQ(s->memory_kernel, 39268352u);
    EXPECT_EQ(s->memory_slab, 15728640u);  // "slab", not slab_reclaimable/unreclaimable
    EXPECT_EQ(s->io_write_bytes, 351330304u);
    EXPECT_EQ(s->io_write_ops, 9977u);
    EXPECT_EQ(s->pids_current, 98u);
    EXPECT_EQ(s->pids_max, 4915u);
}

TEST(CgroupStats, UnlimitedMaxReadsAsZeroAndIoIsSummedOverDevices) {
    auto s = read_cgroup_stats(
        tree() / "docker/e26b9c7aa033038085f6dbfcce2149aacd1b99bdad0cb910d4897d4af256b8b3");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cpu_quota, 0u);
    EXPECT_EQ(s->cpu_period, 100000u);
    EXPECT_EQ(s->memory_max, 0u);
    EXPECT_EQ(s->pids_max, 0u);
    EXPECT_EQ(s->io_read_bytes, 50896896u + 4096u);
    EXPECT_EQ(s->io_write_bytes, 11239424u + 8192u);
    EXPECT_EQ(s->io_read_ops, 96u);
    EXPECT_EQ(s->io_write_ops, 17u);
}

TEST(CgroupStats, MissingControllersGiveZeros) {
    auto s = read_cgroup_stats(
        tree() /
        "user.slice/user-1000.slice/user@1000.service/user.slice/"
        "libpod-0fedcba9876543210fedcba9876543210fedcba9876543210fedcba987654321.scope");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cpu_usage_usec, 99999u);
    EXPECT_EQ(s->cpu_quota, 0u);
    EXPECT_EQ(s->memory_current, 0u);
    EXPECT_EQ(s->io_read_bytes, 0u);
    EXPECT_EQ(s->pids_max, 0u);
}

TEST(CgroupStats, AVanishedCgroupIsNoSample) {
    pc::test::TempDir tmp;
    EXPECT_FALSE(read_cgroup_stats(tmp / "gone"));
    // Gone between cpu.stat and memory.current: the half-read sample is dropped.
    fs::copy(tree() / "system.slice/ssh.service", tmp / "c");
    auto vanishing = [&](const fs::path& file) -> std::optional<std::string> {
        if (file.filename() == "memory.current") fs::remove_all(tmp / "c");
        int error = 0;
        return pc::collect::read_source_file(file, error);
    };
    EXPECT_FALSE(read_cgroup_stats(tmp / "c", vanishing));
    // The same files with the directory still there: only missing controllers.
    fs::copy(tree() / "system.slice/ssh.service", tmp / "d");
    fs::remove(tmp / "d" / "memory.current");
    auto s = read_cgroup_stats(tmp / "d");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->memory_current, 0u);
    EXPECT_EQ(s->cpu_usage_usec, 1500000u);
}

TEST(CgroupStats, ParsersTolerateOddText) {
    CgroupStats s;
    pc::collect::parse_cpu_max("max 100000\n", s);
    EXPECT_EQ(s.cpu_quota, 0u);
    EXPECT_EQ(s.cpu_period, 100000u);
    pc::collect::parse_io_stat("8:0 rbytes=1 wbytes=2 rios=3 wios=4\n8:16\n", s);
    EXPECT_EQ(s.io_read_bytes, 1u);
    EXPECT_EQ(pc::collect::parse_single_value("max\n"), 0u);
    EXPECT_EQ(pc::collect::parse_single_value("12\n"), 12u);
    EXPECT_EQ(pc::collect::parse_single_value(""), 0u);
}

// memory.stat: slab found past the first three lines in one search, in every kernel's layout;
// cpu.stat and io.stat stop reading once their keys are seen.
TEST(CgroupStats, ParsersFindTheirKeysWhereverTheKernelPutsThem) {
    const std::string filler =
        "kernel_stack 1\npagetables 2\nslab_reclaimable 3\n"
        "slab_unreclaimable 4\n";
    struct Case {
        std::string text;
        std::uint64_t anon, file, kernel, slab;
    };
    const Case cases[] = {
        // 6.x: anon, file, kernel, ..., slab
        {"anon 10\nfile 20\nkernel 30\n" + filler + "slab 40\nworkingset 5\n", 10, 20, 30, 40},
        // before 5.18: no kernel line
        {"anon 10\nfile 20\n" + filler + "slab 40\n", 10, 20, 0, 40},
        // slab the fourth line, slab the last line without '\n', slab among the first three
        {"anon 1\nfile 2\nkernel 3\nslab 4\nsock 9\n", 1, 2, 3, 4},
        {"anon 1\nfile 2\nkernel 3\n" + filler + "slab 4", 1, 2, 3, 4},
        {"slab 4\nanon 1\nkernel 3\nfile 2\n", 1, 2, 3, 4},
        // no slab at all; anon later than usual
        {"file 2\nkernel 3\n" + filler + "anon 1\n", 1, 2, 3, 0},
        // "slab" only as the start of longer keys
        {"anon 1\nfile 2\nkernel 3\n" + filler, 1, 2, 3, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        CgroupStats s;
        pc::collect::parse_memory_stat(c.text, s);
        EXPECT_EQ(s.memory_anon, c.anon);
        EXPECT_EQ(s.memory_file, c.file);
        EXPECT_EQ(s.memory_kernel, c.kernel);
        EXPECT_EQ(s.memory_slab, c.slab);
    }
    CgroupStats cpu;
    pc::collect::parse_cpu_stat(
        "usage_usec 1\nuser_usec 2\nsystem_usec 3\ncore_sched.force_idle_usec 0\n"
        "nr_periods 4\nnr_throttled 5\nthrottled_usec 6\nnr_bursts 7\nburst_usec 8\n",
        cpu);
    EXPECT_EQ(cpu.cpu_usage_usec, 1u);
    EXPECT_EQ(cpu.cpu_user_usec, 2u);
    EXPECT_EQ(cpu.cpu_system_usec, 3u);
    EXPECT_EQ(cpu.cpu_periods, 4u);
    EXPECT_EQ(cpu.cpu_throttled, 5u);
    EXPECT_EQ(cpu.cpu_throttled_usec, 6u);
    CgroupStats io;
    pc::collect::parse_io_stat(
        "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=100 dios=200\n"
        "8:16 wios=40 rios=30 wbytes=20 rbytes=10 dbytes=0 dios=0\n259:0 rbytes=5\n",
        io);
    EXPECT_EQ(io.io_read_bytes, 16u);
    EXPECT_EQ(io.io_write_bytes, 22u);
    EXPECT_EQ(io.io_read_ops, 33u);
    EXPECT_EQ(io.io_write_ops, 44u);
}

TEST(CgroupStats, MeasurementHasTheOriginalsKeysInOrder) {
    CgroupStats s;
    s.cpu_period = 100000;
    s.cpu_periods = 83;
    s.cpu_quota = 50000;
    s.cpu_system_usec = 446493;
    s.cpu_throttled = 52;
    s.cpu_throttled_usec = 2326325;
    s.cpu_usage_usec = 2923730;
    s.cpu_user_usec = 2477237;
    s.io_read_bytes = 50896896;
    s.io_read_ops = 95;
    s.io_write_bytes = 11239424;
    s.io_write_ops = 15;
    s.memory_anon = 110592;
    s.memory_current = 58802176;
    s.memory_file = 57663488;
    s.memory_kernel = 1028096;
    s.memory_max = 536870912;
    s.memory_slab = 1;
    s.pids_current = 1;
    s.pids_max = 2;
    std::string out;
    pc::collect::append_cgroup_measurement(
        out, "942b476921d8001bc53b35e48954a3a280e4a4cdceee8f13dc9396caf72de7f7", "", "docker", s);
    EXPECT_EQ(
        out,
        "{\"container_id\":\"942b476921d8001bc53b35e48954a3a280e4a4cdceee8f13dc9396caf72de7f7\","
        "\"container_name\":\"\",\"cpu_period\":100000,\"cpu_periods\":83,\"cpu_quota\":50000,"
        "\"cpu_system_usec\":446493,\"cpu_throttled\":52,\"cpu_throttled_usec\":2326325,"
        "\"cpu_usage_usec\":2923730,\"cpu_user_usec\":2477237,\"io_read_bytes\":50896896,"
        "\"io_read_ops\":95,\"io_write_bytes\":11239424,\"io_write_ops\":15,"
        "\"memory_anon\":110592,\"memory_current\":58802176,\"memory_file\":57663488,"
        "\"memory_kernel\":1028096,\"memory_max\":536870912,\"memory_slab\":1,"
        "\"pids_current\":1,\"pids_max\":2,\"runtime\":\"docker\"}");
}

namespace {

CgroupStats numbered_stats() {
    CgroupStats s;
    std::uint64_t v = 1;
    for (std::uint64_t* f :
         {&s.cpu_usage_usec, &s.cpu_user_usec,      &s.cpu_system_usec, &s.cpu_periods,
          &s.cpu_throttled,  &s.cpu_throttled_usec, &s.cpu_quota,       &s.cpu_period,
          &s.memory_current, &s.memory_max,         &s.memory_anon,     &s.memory_file,
          &s.memory_kernel,  &s.memory_slab,        &s.io_read_bytes,   &s.io_write_bytes,
          &s.io_read_ops,    &s.io_write_ops,       &s.pids_current,    &s.pids_max}) {
        *f = v;
        v = v * 10 + 7;
    }
    s.pids_max = UINT64_MAX;  // the widest number
    return s;
}

// The escaped form must be exactly what escaping the plain form gives.
std::string escaped_plain(std::string_view id, std::string_view name, std::string_view runtime,
                          const CgroupStats& s) {
    std::string plain;
    pc::collect::append_cgroup_measurement(plain, id, name, runtime, s);
    std::string out;
    pc::record::append_go_json_string(out, plain);
    return out;
}

}  // namespace

TEST(CgroupStats, JsonFormIsThePlainMeasurementEscaped) {
    const CgroupStats s = numbered_stats();
    const std::string id = "942b476921d8001bc53b35e48954a3a280e4a4cdceee8f13dc9396caf72de7f7";
    const std::string hostile[] = {
        "",
        "web-1",
        "a\"b",
        "back\\slash\\",
        "<script>&amp;</script>",
        std::string("nul\0byte", 8),
        "ctl\x01\x1f\x7f\b\f\n\r\t",
        "caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 \xf0\x9f\x90\xb3",
        "bad \xff \xc3 \xed\xa0\x80 \xf5\x80\x80\x80 end\xe2\x80",
        "\\u0022\\\"\\\\\"",
    };
    for (const auto& name : hostile) {
        std::string got;
        pc::collect::append_cgroup_measurement_json(got, id, name, "docker", s);
        EXPECT_EQ(got, escaped_plain(id, name, "docker", s)) << name;
        // ids and runtimes go through the same escaping
        got.clear();
        pc::collect::append_cgroup_measurement_json(got, name, "n", name, s);
        EXPECT_EQ(got, escaped_plain(name, "n", name, s)) << name;
    }
}

// The frame written once per cgroup gives what writing everything each tick gives.
TEST(CgroupStats, FrameWrittenOnceGivesTheSameMeasurement) {
    const CgroupStats s = numbered_stats();
    for (const std::string name : {"", "web-1", "a\"b<&>", "caf\xc3\xa9 \xff"}) {
        const auto frame = pc::collect::make_cgroup_measurement_frame("id\\", name, "docker");
        std::string once;
        pc::collect::append_cgroup_measurement_json(once, frame, s);
        std::string each;
        pc::collect::append_cgroup_measurement_json(each, "id\\", name, "docker", s);
        EXPECT_EQ(once, each) << name;
        EXPECT_EQ(once, escaped_plain("id\\", name, "docker", s)) << name;
    }
}

TEST(CgroupStats, JsonFormOfEveryByteAsName) {
    const CgroupStats s = numbered_stats();
    for (int c = 0; c < 256; ++c) {
        const std::string name = "x" + std::string(1, static_cast<char>(c)) + "y";
        std::string got;
        pc::collect::append_cgroup_measurement_json(got, "id", name, "podman", s);
        EXPECT_EQ(got, escaped_plain("id", name, "podman", s)) << c;
    }
}

TEST(CgroupStats, NumbersAreWrittenAsToStringWritesThem) {
    std::vector<std::uint64_t> values = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, UINT64_MAX};
    for (std::uint64_t p = 10; p <= UINT64_MAX / 10; p *= 10) {
        for (std::uint64_t v : {p - 1, p, p + 1, p * 5 + 3}) values.push_back(v);
    }
    // Every digit in every place (eight at a time from the last), and every length.
    std::mt19937_64 random(12345);
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t v = random();
        values.push_back(v >> (i % 64));
    }
    for (std::uint64_t v : values) {
        CgroupStats s;
        s.cpu_period = v;
        s.pids_max = v;
        std::string out;
        pc::collect::append_cgroup_measurement(out, "i", "n", "r", s);
        const std::string want = std::to_string(v);
        EXPECT_NE(out.find("\"cpu_period\":" + want + ",\"cpu_periods\":0,"), std::string::npos)
            << v << ' ' << out;
        EXPECT_NE(out.find(",\"pids_max\":" + want + ",\"runtime\""), std::string::npos) << v;
    }
}

TEST(CgroupStats, NumbersAreReadAsFromCharsReadsThem) {
    using pc::collect::parse_single_value;
    EXPECT_EQ(parse_single_value("18446744073709551615\n"), UINT64_MAX);
    EXPECT_EQ(parse_single_value("18446744073709551616\n"), 0u);  // overflow
    EXPECT_EQ(parse_single_value("99999999999999999999999\n"), 0u);
    EXPECT_EQ(parse_single_value("12 \n"), 12u);
    EXPECT_EQ(parse_single_value("12abc"), 12u);
    EXPECT_EQ(parse_single_value(" 12"), 0u);
    EXPECT_EQ(parse_single_value("-1"), 0u);
    EXPECT_EQ(parse_single_value("+1"), 0u);
    EXPECT_EQ(parse_single_value("0"), 0u);
    CgroupStats s;
    pc::collect::parse_cpu_stat(
        "usage_usec  5\nuser_usec 7x\nsystem_usec\nnr_periods 3\nnr_periods 4\n"
        "usage_usec_x 9\nnr_throttled 18446744073709551616\nthrottled_usec 2",
        s);
    EXPECT_EQ(s.cpu_usage_usec, 0u);  // two spaces: the value starts with one
    EXPECT_EQ(s.cpu_user_usec, 7u);
    EXPECT_EQ(s.cpu_system_usec, 0u);
    EXPECT_EQ(s.cpu_periods, 4u);  // the last line wins
    EXPECT_EQ(s.cpu_throttled, 0u);
    EXPECT_EQ(s.cpu_throttled_usec, 2u);
    CgroupStats m;
    pc::collect::parse_memory_stat("anon_thp 1\nanon 2\nfile\nfile 3\nkernel 4\nslab 5\nanon 6\n",
                                   m);
    EXPECT_EQ(m.memory_anon, 2u);  // stops after the four keys
    EXPECT_EQ(m.memory_file, 3u);
    EXPECT_EQ(m.memory_kernel, 4u);
    EXPECT_EQ(m.memory_slab, 5u);
    CgroupStats io;
    pc::collect::parse_io_stat(
        "8:0 rbytes=1 wbytes=2 rios=3 wios=4\n8:16  rbytes=10 xrbytes=5 rios rios=7=8 wios=x\n",
        io);
    EXPECT_EQ(io.io_read_bytes, 11u);
    EXPECT_EQ(io.io_write_bytes, 2u);
    EXPECT_EQ(io.io_read_ops, 10u);
    EXPECT_EQ(io.io_write_ops, 4u);
}

TEST(CgroupStats, LongNumbersAreReadAsFromCharsReadsThem) {
    // Every length up to 24 digits, with each digit position holding every digit, and a
    // non-digit at each position (the eight-digit word read must see it).
    std::uint64_t seed = 1;
    for (std::size_t len = 1; len <= 24; ++len) {
        for (int k = 0; k < 40; ++k) {
            std::string text;
            for (std::size_t i = 0; i < len; ++i) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                text += static_cast<char>('0' + (seed >> 33) % 10);
            }
            for (std::size_t bad = 0; bad <= len; ++bad) {
                std::string t = text;
                if (bad < len) t[bad] = "/:a \n"[k % 5];
                std::uint64_t want = 0;
                auto r = std::from_chars(t.data(), t.data() + t.size(), want);
                if (r.ec != std::errc()) want = 0;
                EXPECT_EQ(pc::collect::parse_single_value(t), want) << t;
            }
        }
    }
}
