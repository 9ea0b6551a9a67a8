#include "pc/validate/validator.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>

#include "pc/record/codec.hpp"
#include "pc/validate/render.hpp"
#include "test_support.hpp"

namespace {

using pc::validate::LineProblemKind;
using pc::validate::ValidationReport;

// Hand-written /proc texts with counters chosen by the test.
std::string stat_text(std::uint64_t user, std::uint64_t btime) {
    return "cpu  " + std::to_string(user) + " 0 " + std::to_string(user / 2) +
           " 90000 100 0 10 0 0 0\ncpu0 " + std::to_string(user) + " 0 " +
           std::to_string(user / 2) + " 90000 100 0 10 0 0 0\nintr 1\nctxt 2\nbtime " +
           std::to_string(btime) + "\nprocs_running 1\nprocs_blocked 0\n";
}
std::string meminfo_text() {
    return "MemTotal:  2000000 kB\nMemFree:  1000000 kB\n";
}
std::string net_text(std::uint64_t rx) {
    return "Inter-|   Receive                                                |  Transmit\n"
           " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
           "errs drop fifo colls carrier compressed\n"
           "  eth0: " +
           std::to_string(rx) + " 10 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n";
}

struct Sample {
    std::int64_t ts;
    std::uint64_t user = 1000;
    std::uint64_t btime = 1767800000;
    std::uint64_t rx = 1000;
};

std::string tick(const Sample& s, bool with_meminfo = true) {
    std::string out;
    pc::record::encode_record({s.ts, "/proc/stat", stat_text(s.user, s.btime)}, out);
    if (with_meminfo) pc::record::encode_record({s.ts, "/proc/meminfo", meminfo_text()}, out);
    pc::record::encode_record({s.ts, "/proc/net/dev", net_text(s.rx)}, out);
    return out;
}

// Five ticks at 5 s, counters growing.
std::string clean_collection() {
    std::string out;
    for (int i = 0; i < 5; ++i) {
        out += tick({1767800500 + 5 * i, 1000u + 10u * i, 1767800000, 1000u + 100u * i});
    }
    return out;
}

ValidationReport validate_text(const std::string& text, pc::validate::ValidateOptions o = {}) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    pc::test::write_file(path, text);
    return pc::validate::validate_collection(path.string(), o);
}

TEST(Validate, CleanCollection) {
    auto r = validate_text(clean_collection());
    EXPECT_EQ(r.ticks, 5u);
    EXPECT_EQ(r.records, 15u);
    EXPECT_EQ(r.lines, 15u);
    EXPECT_EQ(r.first_timestamp, 1767800500);
    EXPECT_EQ(r.last_timestamp, 1767800520);
    EXPECT_EQ(r.frequency, 5);
    EXPECT_EQ(r.kind, "host");
    ASSERT_EQ(r.subsystems.size(), 3u);
    EXPECT_EQ(r.subsystems[0].subsystem, "/proc/stat");
    EXPECT_EQ(r.subsystems[0].ticks, 5u);
    EXPECT_FALSE(r.corrupt());
    EXPECT_FALSE(r.has_warnings());
    EXPECT_EQ(pc::validate::verdict(r), "OK");
}

TEST(Validate, MalformedAndTruncatedLinesWithLineNumbers) {
    auto text = clean_collection();
    // Line 4 (first record of tick 2) replaced by garbage; last line cut mid-write.
    std::size_t start = 0;
    for (int i = 0; i < 3; ++i) start = text.find('\n', start) + 1;
    std::size_t end = text.find('\n', start);
    text.replace(start, end - start, "{\"timestamp\":1767800505,\"subsys");
    text.resize(text.size() - 20);
    auto r = validate_text(text);
    ASSERT_EQ(r.line_problems.count, 2u);
    EXPECT_EQ(r.line_problems.examples[0].line, 4u);
    EXPECT_EQ(r.line_problems.examples[0].kind, LineProblemKind::malformed);
    EXPECT_EQ(r.line_problems.examples[1].line, 15u);
    EXPECT_EQ(r.line_problems.examples[1].kind, LineProblemKind::truncated);
    EXPECT_TRUE(r.corrupt());
    EXPECT_EQ(pc::validate::verdict(r), "CORRUPT: 1 malformed line, 1 truncated line");
}

TEST(Validate, MeasurementThatDoesNotParseIsCorrupt) {
    std::string text;
    pc::record::encode_record({1767800500, "/proc/stat", "cpu  1 2 x 4\n"}, text);
    pc::record::encode_record({1767800500, "/proc/meminfo", "Nothing: here\n"}, text);
    auto r = validate_text(text);
    ASSERT_EQ(r.line_problems.count, 2u);
    EXPECT_EQ(r.line_problems.examples[0].kind, LineProblemKind::bad_measurement);
    EXPECT_EQ(r.line_problems.examples[0].line, 1u);
    EXPECT_NE(r.line_problems.examples[1].detail.find("MemTotal"), std::string::npos);
    EXPECT_TRUE(r.corrupt());
}

TEST(Validate, GapsCountMissingTicks) {
    std::string text;
    for (std::int64_t ts : {100, 105, 110, 130, 135, 140, 146}) text += tick({ts});
    auto r = validate_text(text);
    EXPECT_EQ(r.frequency, 5);
    ASSERT_EQ(r.gaps.count, 1u);  // 140 -> 146 is a late tick, not a gap
    EXPECT_EQ(r.gaps.examples[0].after, 110);
    EXPECT_EQ(r.gaps.examples[0].before, 130);
    EXPECT_EQ(r.gaps.examples[0].missing_ticks, 3);
    EXPECT_EQ(r.gaps.examples[0].line, 10u);
    EXPECT_EQ(r.missing_ticks, 3);
    EXPECT_FALSE(r.corrupt());
    EXPECT_TRUE(r.has_warnings());
    EXPECT_EQ(r.max_interval, 20);

    pc::validate::ValidateOptions given;
    given.frequency = 20;
    EXPECT_EQ(validate_text(text, given).gaps.count, 0u);
}

TEST(Validate, DuplicateAndOutOfOrderTicks) {
    std::string text = tick({100}) + tick({105}) + tick({105}) + tick({110}) + tick({105, 2000}) +
                       tick({103}) + tick({115});
    auto r = validate_text(text);
    // 105 twice in a row (one group with repeated subsystems) and 105 again later.
    EXPECT_EQ(r.duplicates.count, 2u);
    EXPECT_EQ(r.duplicates.examples[0].line, 7u);
    EXPECT_EQ(r.duplicates.examples[1].line, 13u);
    ASSERT_EQ(r.out_of_order.count, 1u);
    EXPECT_EQ(r.out_of_order.examples[0].timestamp, 103);
    EXPECT_EQ(r.out_of_order.examples[0].previous, 110);
    EXPECT_EQ(r.gaps.count, 0u);
    EXPECT_EQ(r.counter_resets.count, 0u);  // the resent tick's older counters are not resets
    EXPECT_TRUE(r.corrupt());
}

TEST(Validate, IncompleteTicksNameTheMissingSubsystem) {
    std::string text = tick({100}) + tick({105}, false) + tick({110});
    auto r = validate_text(text);
    ASSERT_EQ(r.incomplete_ticks.count, 1u);
    EXPECT_EQ(r.incomplete_ticks.examples[0].timestamp, 105);
    EXPECT_EQ(r.incomplete_ticks.examples[0].line, 4u);
    ASSERT_EQ(r.incomplete_ticks.examples[0].missing.size(), 1u);
    EXPECT_EQ(r.incomplete_ticks.examples[0].missing[0], "/proc/meminfo");
    EXPECT_EQ(r.subsystems[1].ticks, 2u);
    EXPECT_FALSE(r.corrupt());
}

TEST(Validate, CounterResetAndReboot) {
    std::string text = tick({100, 5000, 1767800000, 9000}) +
                       tick({105, 5100, 1767800000, 500}) +  // eth0 rx went back
                       tick({110, 5200, 1767800001, 600}) +  // btime jitter: nothing
                       tick({115, 40, 1767800110, 100}) +    // reboot: btime moved, cpu back
                       tick({120, 50, 1767800110, 200});
    auto r = validate_text(text);
    ASSERT_EQ(r.counter_resets.count, 1u);
    EXPECT_EQ(r.counter_resets.examples[0].timestamp, 105);
    EXPECT_EQ(r.counter_resets.examples[0].line, 6u);
    EXPECT_EQ(r.counter_resets.examples[0].counter, "/proc/net/dev eth0 rx_bytes");
    ASSERT_EQ(r.reboots.count, 1u);
    EXPECT_EQ(r.reboots.examples[0].timestamp, 115);
    EXPECT_EQ(r.reboots.examples[0].old_btime, 1767800001u);
    EXPECT_EQ(r.reboots.examples[0].new_btime, 1767800110u);
    EXPECT_FALSE(r.corrupt());
    EXPECT_EQ(pc::validate::verdict(r), "OK with warnings: 1 reboot, 1 counter reset");
}

TEST(Validate, EmptyUnknownAndContainerCollections) {
    auto empty = validate_text("");
    EXPECT_EQ(empty.ticks, 0u);
    EXPECT_EQ(empty.kind, "empty");
    EXPECT_EQ(pc::validate::verdict(empty), "EMPTY: no records");

    std::string text;
    pc::record::encode_record({100, "container/docker/abc", R"({"cpu_usage_usec":500})"}, text);
    pc::record::encode_record({100, "/proc/made-up", "x"}, text);
    pc::record::encode_record({105, "container/docker/abc", R"({"cpu_usage_usec":100})"}, text);
    pc::record::encode_record({110, "container/docker/abc", "not json"}, text);
    auto r = validate_text(text);
    EXPECT_EQ(r.kind, "mixed");
    ASSERT_EQ(r.unknown_subsystems.size(), 1u);
    EXPECT_EQ(r.unknown_subsystems[0], "/proc/made-up");
    // A container's counter going back is a restart: no counter reset, no warning.
    EXPECT_EQ(r.counter_resets.count, 0u);
    ASSERT_EQ(r.cgroup_restarts.count, 1u);
    EXPECT_EQ(r.cgroup_restarts.examples[0].counter, "container/docker/abc cpu_usage_usec");
    ASSERT_EQ(r.line_problems.count, 1u);
    EXPECT_EQ(r.line_problems.examples[0].line, 4u);
}

TEST(Validate, ServicesAreCgroupRecordsAndRestartsAreNotWarnings) {
    std::string text;
    for (std::int64_t ts : {100, 105, 110}) {
        std::uint64_t usage = ts == 110 ? 10 : static_cast<std::uint64_t>(ts) * 1000;
        pc::record::encode_record({ts, "service/systemd/ssh.service",
                                   R"({"cpu_usage_usec":)" + std::to_string(usage) +
                                       R"(,"io_read_bytes":)" + std::to_string(usage) + "}"},
                                  text);
    }
    auto r = validate_text(text);
    EXPECT_EQ(r.kind, "container");
    EXPECT_TRUE(r.unknown_subsystems.empty());
    ASSERT_EQ(r.cgroup_restarts.count, 1u);  // once per record, not per counter
    EXPECT_EQ(r.cgroup_restarts.examples[0].timestamp, 110);
    EXPECT_FALSE(r.corrupt());
    EXPECT_EQ(pc::validate::verdict(r), "OK");
}

TEST(Validate, ExamplesAreCappedButCounted) {
    std::string text;
    for (int i = 0; i < 30; ++i) text += "garbage\n";
    pc::validate::ValidateOptions o;
    o.max_examples = 3;
    auto r = validate_text(text, o);
    EXPECT_EQ(r.line_problems.count, 30u);
    EXPECT_EQ(r.line_problems.examples.size(), 3u);
    auto j = pc::validate::to_json(r);
    EXPECT_EQ(j["line_problems"]["count"], 30);
    EXPECT_EQ(j["corrupt"], true);
}

TEST(Validate, GzipInput) {
    pc::test::TempDir dir;
    auto plain = dir / "c.json";
    pc::test::write_file(plain, clean_collection());
    auto r = pc::test::run({"/bin/gzip", "-k", plain.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto report = pc::validate::validate_collection((dir / "c.json.gz").string(), {});
    EXPECT_EQ(report.ticks, 5u);
    EXPECT_FALSE(report.corrupt());
}

// pcc's own output: /proc/cpuinfo in the first tick of each run only (a second run appended to
// the same file starts with it again). Nothing to warn about.
TEST(Validate, CpuinfoInTheFirstTickOfEachRunIsComplete) {
    const std::string cpuinfo = "processor\t: 0\nmodel name\t: Test CPU\n\n";
    std::string text;
    for (int run = 0; run < 2; ++run) {
        for (int i = 0; i < 5; ++i) {
            const std::int64_t ts = 1767800500 + 25 * run + 5 * i;
            if (i == 0) pc::record::encode_record({ts, "/proc/cpuinfo", cpuinfo}, text);
            text += tick(
                {ts, 1000u + 100u * run + 10u * i, 1767800000, 1000u + 1000u * run + 100u * i});
        }
    }
    auto r = validate_text(text);
    EXPECT_EQ(r.incomplete_ticks.count, 0u);
    EXPECT_FALSE(r.has_warnings()) << pc::validate::verdict(r);
    EXPECT_EQ(pc::validate::verdict(r), "OK");
    ASSERT_EQ(r.subsystems[0].subsystem, "/proc/cpuinfo");
    EXPECT_EQ(r.subsystems[0].ticks, 2u);
    std::ostringstream out;
    pc::validate::render_text(r, out);
    EXPECT_NE(out.str().find("/proc/cpuinfo  2/10 (pcc writes it in a run's first tick only)"),
              std::string::npos)
        << out.str();
}

// Containers start and stop: one absent from some ticks makes no tick incomplete, and one that
// comes back starts its counters from zero without a reset. A counter going back while the
// container stayed is a restart of the container (information), not a counter reset.
TEST(Validate, ContainersComeAndGo) {
    auto container = [](std::int64_t ts, const std::string& id, std::uint64_t cpu) {
        std::string out;
        pc::record::encode_record(
            {ts, "container/docker/" + id, R"({"cpu_usage_usec":)" + std::to_string(cpu) + "}"},
            out);
        return out;
    };
    std::string text = tick({100}) + container(100, "aaa", 5000) +  //
                       tick({105}) + container(105, "aaa", 6000) + container(105, "bbb", 10) +
                       tick({110}) + container(110, "bbb", 20) +  // aaa stopped
                       tick({115}) + container(115, "aaa", 50) +  // aaa back, counters anew
                       container(115, "bbb", 30) +                //
                       tick({120}) + container(120, "aaa", 60) + container(120, "bbb", 25);
    auto r = validate_text(text);
    EXPECT_EQ(r.kind, "mixed");
    EXPECT_EQ(r.incomplete_ticks.count, 0u);
    EXPECT_EQ(r.counter_resets.count, 0u);
    ASSERT_EQ(r.cgroup_restarts.count, 1u);
    EXPECT_EQ(r.cgroup_restarts.examples[0].counter, "container/docker/bbb cpu_usage_usec");
    EXPECT_EQ(r.cgroup_restarts.examples[0].timestamp, 120);
}

// Issue 19 item 11: timestamps near +-2^63 saturate the span, the intervals and the dates
// instead of wrapping (a negative span, a date in year -219246529).
TEST(Validate, ExtremeTimestampsSaturate) {
    constexpr auto lo = std::numeric_limits<std::int64_t>::min();
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    std::string text = tick({lo}) + tick({lo + 1}) + tick({0}) + tick({hi - 1}) + tick({hi});
    pc::validate::ValidateOptions o;
    o.frequency = 1;
    auto r = validate_text(text, o);
    EXPECT_FALSE(r.corrupt());
    EXPECT_EQ(r.first_timestamp, lo);
    EXPECT_EQ(r.last_timestamp, hi);
    EXPECT_EQ(r.max_interval, hi);
    EXPECT_EQ(r.min_interval, 1);
    EXPECT_EQ(r.gaps.count, 2u);
    EXPECT_EQ(r.missing_ticks, hi);
    for (const auto& g : r.gaps.examples) EXPECT_GT(g.missing_ticks, 0);
    auto j = pc::validate::to_json(r);
    EXPECT_EQ(j["span_seconds"], hi);
    std::ostringstream out;
    pc::validate::render_text(r, out);
    const std::string text_out = out.str();
    EXPECT_NE(
        text_out.find("0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z (span 106751991167300d15h)"),
        std::string::npos)
        << text_out;
    EXPECT_EQ(text_out.find("span -"), std::string::npos) << text_out;

    // A median interval near 2^63 (two ticks) must not wrap when doubled.
    auto two = validate_text(tick({lo}) + tick({hi}));
    EXPECT_EQ(two.frequency, hi);
    EXPECT_EQ(two.gaps.count, 0u);
}

}  // namespace

// /proc/uptime (pcc's optional interval clock) is a known subsystem: parsed, not "unknown".
TEST(Validate, UptimeIsKnownAndParsed) {
    std::string text;
    for (int i = 0; i < 3; ++i) {
        pc::record::encode_record(
            {1767800500 + 5 * i, "/proc/uptime", std::to_string(1000 + 5 * i) + ".25 1.00\n"},
            text);
    }
    pc::record::encode_record({1767800515, "/proc/uptime", "soon\n"}, text);
    auto r = validate_text(text);
    EXPECT_TRUE(r.unknown_subsystems.empty());
    ASSERT_EQ(r.line_problems.count, 1u);
    EXPECT_EQ(r.line_problems.examples[0].kind, LineProblemKind::bad_measurement);
    EXPECT_EQ(r.line_problems.examples[0].line, 4u);
}
