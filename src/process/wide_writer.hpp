// Private to the process module: <outdir>/perf.csv, one row per tick for the portal and the R
// reports.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "pc/process/options.hpp"
#include "pc/process/output_tree.hpp"
#include "pc/procfs/diskstats.hpp"
#include "pc/procfs/meminfo.hpp"
#include "pc/procfs/net_dev.hpp"
#include "pc/procfs/stat.hpp"

namespace pc::process {

// Columns: timestamp,machine_id,cpu_user,cpu_system,cpu_idle,cpu_iowait,mem_total,mem_free,
// mem_available, then per disk disk_<dev>_{reads,writes,read_bytes,write_bytes}, then per
// interface net_<if>_{rx_bytes,tx_bytes,rx_packets,tx_packets}. Disks and interfaces are those
// of the first diskstats / net/dev record, in its order. A tick is the records sharing one
// timestamp; the first tick only starts the CPU interval, so rows start at the second tick.
// Cells a tick does not have (no /proc/stat, a device gone, CPU counters reset) are empty.
class WideWriter {
public:
    // perf.csv is created in `tree` only once a tick has been seen. `mode` picks the CPU
    // arithmetic and the number format of the CPU cells, as in the sar tree.
    WideWriter(OutputTree& tree, std::string machine_id, Mode mode);
    void on_stat(std::int64_t ts, const procfs::StatSample& s);
    void on_meminfo(std::int64_t ts, const procfs::MemInfo& m);
    void on_diskstats(std::int64_t ts, const std::vector<procfs::DiskDevice>& d);
    void on_net_dev(std::int64_t ts, const std::vector<procfs::NetDevice>& n);
    // Writes the last tick (and the header when ticks were seen but no row was written).
    void finish();

private:
    enum Kind : unsigned { kStat = 1, kMem = 2, kDisk = 4, kNet = 8 };
    using Counters = std::array<std::uint64_t, 4>;
    struct Column {
        std::string name;
        Counters values{};
        bool present = false;
    };

    bool enter(std::int64_t ts, Kind kind);
    void end_tick();
    void write_header();

    OutputTree& tree_;
    Mode mode_;
    AtomicOutputFile* file_ = nullptr;
    std::string machine_cell_;
    bool header_written_ = false;

    bool in_tick_ = false;
    std::int64_t tick_ts_ = 0;
    unsigned seen_ = 0;
    std::uint64_t ticks_ = 0;

    bool prev_cpu_valid_ = false;
    procfs::CpuJiffies prev_cpu_;
    std::uint64_t prev_btime_ = 0;
    bool tick_has_cpu_ = false;
    procfs::CpuJiffies tick_cpu_;
    std::uint64_t tick_btime_ = 0;

    bool tick_has_mem_ = false;
    std::uint64_t mem_total_ = 0, mem_free_ = 0, mem_available_ = 0;

    std::vector<Column> disks_, nets_;
    bool disks_fixed_ = false, nets_fixed_ = false;
    std::set<std::string> late_names_;  // devices that appeared after the header: warned once
};

}  // namespace pc::process
