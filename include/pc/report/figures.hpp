// The report's figures, read from the sar rows the process module computes (process::SarRows):
// the numbers are those of the CSV files, parsed back from the same text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pc/report/sample_set.hpp"
#include "pc/report/time_table.hpp"

namespace pc::report {

struct Chart {
    std::string title;                      // "Network eth0: throughput"
    std::string unit;                       // left axis label, e.g. "kB/s"
    std::string right_unit;                 // right axis label; "" when none
    std::vector<std::string> right_series;  // series drawn against the right axis
    bool stacked = false;
    double max_y = 0;      // fixed top of the left axis (100 for shares), 0 = from the data
    bool per_cpu = false;  // busy % per CPU: a heat map when there are many CPUs
    std::string device;    // the interface or disk it shows; "" for the others
    TimeTable table;
};

// One line of the summary table.
struct SummaryMetric {
    std::string figure;  // "CPU busy", "eth0 received"
    std::string unit;    // "%", "kB/s", "IO/s", "ms"
    SampleSet samples;
    int rank = 0;        // place in the table: CPU, memory, network, disks, filesystems
    std::string device;  // the interface or disk it is about; "" for the others
};

class Figures {
public:
    // `keep`: rows each chart keeps at full resolution (the report's max_points).
    explicit Figures(std::size_t keep = 2000) : keep_(keep) {}

    // Rows of one sar output (newline-terminated CSV lines, as process::SarRows gives them).
    void add_rows(std::string_view output, std::string_view rows);
    // containers.csv or services.csv as process::SarRows renders them; `kind` is "Containers"
    // or "Services".
    void add_cgroup_csv(std::string_view kind, std::string_view csv);

    // Charts with data, in the report's order: CPU (all, then per CPU), memory, load, network
    // per interface, disks per device, filesystems, containers and services. Interfaces and
    // disks idle throughout (every value 0: loop devices, unused bridges) are left out of the
    // charts and the summary, and named by idle_devices().
    std::vector<const Chart*> charts() const;
    std::vector<const SummaryMetric*> summary() const;
    std::vector<std::string> idle_devices() const;

private:
    void stat_row(const std::vector<std::string>& f);
    void meminfo_row(const std::vector<std::string>& f);
    void net_dev_row(const std::vector<std::string>& f);
    void diskstats_row(const std::vector<std::string>& f);
    void statfs_row(const std::vector<std::string>& f);
    void loadavg_row(const std::vector<std::string>& f);
    std::size_t new_metric(std::string figure, std::string unit, int rank, std::string device);

    // Where one interface's, disk's or mount's figures go: chart indices (a mount: its column
    // in filesystems_) and its summary lines.
    struct Slots {
        std::size_t chart = 0;
        std::size_t chart2 = 0;
        std::size_t metrics[4] = {};
    };

    Chart make_chart(std::string title, std::string unit, double max_y = 0,
                     bool stacked = false) const;

    std::size_t keep_;
    Chart cpu_all_;
    Chart cpu_each_;
    Chart memory_;
    Chart load_;
    std::vector<Chart> net_;
    std::vector<Chart> disk_;
    Chart filesystems_;
    std::vector<Chart> cgroups_;
    std::vector<SummaryMetric> summary_;
    std::vector<std::string> fields_;  // scratch
    std::size_t cpu_busy_metric_ = 0;
    std::size_t memory_metric_ = 0;
    std::unordered_map<std::string, std::size_t> cpu_columns_;  // CPU number -> column
    std::unordered_map<std::string, Slots> net_slots_;
    std::unordered_map<std::string, Slots> disk_slots_;
    std::unordered_map<std::string, Slots> fs_slots_;
};

// The CPU and memory charts of containers.csv or services.csv (`kind` "Containers" or
// "Services"); none when the table is empty.
std::vector<Chart> cgroup_charts(std::string_view kind, std::string_view csv,
                                 std::size_t keep = 2000);

// Splits one CSV line (RFC 4180 quoting) into `fields`.
void split_csv_line(std::string_view line, std::vector<std::string>& fields);

}  // namespace pc::report
