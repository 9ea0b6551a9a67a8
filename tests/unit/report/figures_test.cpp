// The report's figures are the sar rows' numbers, read back from the same text.
#include "pc/report/figures.hpp"

#include <gtest/gtest.h>

#include <cmath>

using pc::report::Figures;
using pc::report::split_csv_line;

TEST(SplitCsvLine, QuotedFieldsWithCommasAndQuotes) {
    std::vector<std::string> f;
    split_csv_line("1,\"a,\"\"b\"\"\",3.5,", f);
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[1], "a,\"b\"");
    EXPECT_EQ(f[2], "3.5");
    EXPECT_EQ(f[3], "");
}

TEST(Figures, CpuRowsGiveStackedSharesBusyPerCpuAndTheSummary) {
    Figures fig;
    fig.add_rows("proc/stat",
                 "100,-1,10.00,1.00,5.00,2.00,0.50,81.50\n100,0,20.00,0.00,5.00,0.00,0.00,75.00\n"
                 "101,-1,30.00,0.00,10.00,0.00,0.00,60.00\n");
    auto charts = fig.charts();
    ASSERT_EQ(charts.size(), 2u);
    EXPECT_EQ(charts[0]->title, "CPU, all CPUs");
    EXPECT_TRUE(charts[0]->stacked);
    EXPECT_EQ(charts[0]->table.labels(),
              (std::vector<std::string>{"%usr", "%nice", "%system", "%iowait", "%steal"}));
    EXPECT_EQ(charts[0]->table.values(2), (std::vector<double>{5.0, 10.0}));
    EXPECT_TRUE(charts[1]->per_cpu);
    EXPECT_EQ(charts[1]->table.values(0)[0], 25.0);
    EXPECT_EQ(charts[1]->table.rows(), 1u);  // no per-CPU row at 101
    auto summary = fig.summary();
    ASSERT_EQ(summary.size(), 1u);
    EXPECT_EQ(summary[0]->samples.values(), (std::vector<double>{18.5, 40.0}));
}

TEST(Figures, DiskKilobytesAreHalfTheSectors) {
    Figures fig;
    fig.add_rows("proc/diskstats",
                 "5,\"nvme,0\",10.00,4.00,6.00,0.00,100.00,50.00,0.00,0.10,7.50,1.25,3.00\n");
    auto charts = fig.charts();
    ASSERT_EQ(charts.size(), 2u);
    EXPECT_EQ(charts[0]->title, "Disk nvme,0: throughput");
    EXPECT_EQ(charts[0]->table.values(0)[0], 50.0);  // read kB/s
    EXPECT_EQ(charts[0]->table.values(1)[0], 25.0);  // written kB/s
    EXPECT_EQ(charts[0]->right_series, (std::vector<std::string>{"IOPS (transfers/s)"}));
    auto summary = fig.summary();
    ASSERT_EQ(summary.size(), 4u);
    EXPECT_EQ(summary[1]->figure, "nvme,0 throughput");
    EXPECT_EQ(summary[1]->samples.values()[0], 75.0);
    EXPECT_EQ(summary[2]->samples.values()[0], 1.25);
}

TEST(Figures, SummaryIsOrderedCpuMemoryNetworkDisksFilesystems) {
    Figures fig;
    fig.add_rows("statfs_ALL", "1,/,4096,100,50,50\n");
    fig.add_rows("proc/net/dev", "1,eth0,1.00,2.00,3.00,4.00,0.00,0.00,0.00,0.00\n");
    fig.add_rows("proc/meminfo", "1,10,20,30,40.00,1,2,3,4.00,5,6,7\n");
    auto s = fig.summary();
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0]->figure, "Memory used");
    EXPECT_EQ(s[1]->figure, "eth0 received");
    EXPECT_EQ(s[2]->figure, "eth0 sent");
    EXPECT_EQ(s[3]->figure, "/ space used");
}

TEST(Figures, ContainersBySameNameAreToldApart) {
    Figures fig;
    fig.add_cgroup_csv("Containers",
                       "timestamp,container_id,container_name,runtime,cpu_percent,cpu_user_percent,"
                       "cpu_system_percent,memory_current_bytes,memory_max_bytes,memory_percent,"
                       "io_read_bytes,io_write_bytes,io_read_ops,io_write_ops,pids_current\r\n"
                       "2,aaaaaaaaaaaaaaaa,web,docker,,,,1048576,0,,0,0,0,0,1\r\n"
                       "3,aaaaaaaaaaaaaaaa,web,docker,50.00,25.00,25.00,2097152,0,,0,0,0,0,1\r\n"
                       "2,bbbbbbbbbbbbbbbb,web,docker,,,,1048576,0,,0,0,0,0,1\r\n");
    auto charts = fig.charts();
    ASSERT_EQ(charts.size(), 2u);
    EXPECT_EQ(charts[0]->title, "Containers: CPU");
    EXPECT_EQ(charts[0]->table.labels(), (std::vector<std::string>{"web", "web (bbbbbbbbbbbb)"}));
    EXPECT_EQ(charts[1]->table.rows(), 2u);
    EXPECT_EQ(charts[1]->table.values(0)[1], 2.0);  // MiB
}

TEST(Figures, IdleDevicesAreNamedNotChartedNorSummarised) {
    Figures fig;
    fig.add_rows("proc/net/dev",
                 "1,eth0,1.00,2.00,3.00,4.00,0.00,0.00,0.00,0.00\n"
                 "1,docker0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\n");
    fig.add_rows("proc/diskstats",
                 "1,loop0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\n"
                 "1,sda,1.00,1.00,0.00,0.00,8.00,0.00,0.00,0.00,4.00,0.00,0.00\n");
    EXPECT_EQ(fig.idle_devices(), (std::vector<std::string>{"docker0", "loop0"}));
    std::vector<std::string> titles;
    for (const auto* c : fig.charts()) titles.push_back(c->title);
    EXPECT_EQ(titles, (std::vector<std::string>{"Network eth0", "Disk sda: throughput",
                                                "Disk sda: latency and utilisation"}));
    for (const auto* m : fig.summary()) {
        EXPECT_EQ(m->figure.find("docker0"), std::string::npos);
        EXPECT_EQ(m->figure.find("loop0"), std::string::npos);
    }
}
