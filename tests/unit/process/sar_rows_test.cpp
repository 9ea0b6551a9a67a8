// process::SarRows gives exactly the rows pcprocess writes into the sar tree.
#include "pc/process/sar_rows.hpp"

#include <gtest/gtest.h>

#include <map>

#include "pc/process/processor.hpp"
#include "report_fixture.hpp"
#include "test_support.hpp"

namespace {

std::string without_header(const std::string& file) {
    return file.substr(file.find('\n') + 1);
}

}  // namespace

TEST(SarRows, RowsEqualTheSarTreeOfPcprocess) {
    pc::test::SyntheticHost c;
    c.ticks = 40;
    c.gap_after = 20;
    c.gap_ticks = 10;
    pc::test::TempDir dir;
    pc::test::write_file(dir / "m.json", pc::test::synthetic_host_text(c));
    pc::process::ProcessOptions options;
    options.collection = (dir / "m.json").string();
    options.outdir = dir / "out";
    options.formats = {true, false, false};
    pc::process::run_process(options);

    std::map<std::string, std::string, std::less<>> rows;
    pc::process::SarRows sar(
        [&](std::string_view output, std::string_view text) { rows[std::string(output)] += text; });
    for (const auto& r : pc::test::synthetic_host_records(c)) sar.add(r);

    for (const char* output : {"proc/stat", "proc/meminfo", "proc/net/dev", "proc/diskstats",
                               "statfs_ALL", "proc/loadavg"}) {
        SCOPED_TRACE(output);
        ASSERT_FALSE(rows[output].empty());
        EXPECT_EQ(rows[output], without_header(pc::test::read_file(dir / "out" / output)));
    }
    EXPECT_EQ(sar.containers_csv(), pc::test::read_file(dir / "out" / "containers.csv"));
    ASSERT_TRUE(sar.cpuinfo().has_value());
    EXPECT_EQ(sar.cpuinfo()->model_name, c.cpu_model);
    EXPECT_EQ(sar.mem_total_kb(), c.mem_total_kb);
    EXPECT_EQ(sar.cpu_count(), c.cpus);
    EXPECT_EQ(sar.services_csv(), "");
}

TEST(SarRows, CountsWhatItLeavesOut) {
    pc::process::SarRows sar([](std::string_view, std::string_view) {});
    sar.add({1, "/proc/uptime", "not an uptime"});
    sar.add({1, "something/else", "x"});
    EXPECT_EQ(sar.events().bad_measurements, 1u);
    EXPECT_EQ(sar.events().unknown_subsystems.at("something/else"), 1u);
}
