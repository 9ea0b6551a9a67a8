// Hand-made collections for pcprocess tests: raw /proc texts built from a few numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pc/record/codec.hpp"

namespace pc::test {

// One "cpuN" (or "cpu") line: user nice system idle iowait, the other five 0.
struct Cpu {
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0;
};

// /proc/stat with the aggregate line, cpu0..cpuN-1 (index in `cpus`, absent when `online` says
// so) and btime.
inline std::string stat_text(const Cpu& total, const std::vector<Cpu>& cpus,
                             std::uint64_t btime = 1767798686,
                             const std::vector<bool>& online = {}) {
    auto line = [](const std::string& label, const Cpu& c) {
        return label + " " + std::to_string(c.user) + " " + std::to_string(c.nice) + " " +
               std::to_string(c.system) + " " + std::to_string(c.idle) + " " +
               std::to_string(c.iowait) + " 0 0 0 0 0\n";
    };
    std::string s = line("cpu ", total);
    for (std::size_t i = 0; i < cpus.size(); ++i) {
        if (online.empty() || online[i]) s += line("cpu" + std::to_string(i), cpus[i]);
    }
    s += "intr 1 2 3\nctxt 5\nbtime " + std::to_string(btime) +
         "\nprocs_running 1\nprocs_blocked 0\n";
    return s;
}

struct Iface {
    std::string name;
    std::uint64_t rx_bytes = 0, rx_packets = 0, tx_bytes = 0, tx_packets = 0;
};

inline std::string net_dev_text(const std::vector<Iface>& ifs) {
    std::string s =
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
        "errs drop fifo colls carrier compressed\n";
    for (const auto& i : ifs) {
        s += "  " + i.name + ": " + std::to_string(i.rx_bytes) + " " +
             std::to_string(i.rx_packets) + " 0 0 0 0 0 0 " + std::to_string(i.tx_bytes) + " " +
             std::to_string(i.tx_packets) + " 0 0 0 0 0 0\n";
    }
    return s;
}

struct Disk {
    std::string name;
    std::uint64_t rd_ios = 0, rd_sectors = 0, wr_ios = 0, wr_sectors = 0;
};

inline std::string diskstats_text(const std::vector<Disk>& disks) {
    std::string s;
    std::uint64_t minor = 0;
    for (const auto& d : disks) {
        s += "   8       " + std::to_string(minor++) + " " + d.name + " " +
             std::to_string(d.rd_ios) + " 0 " + std::to_string(d.rd_sectors) + " 0 " +
             std::to_string(d.wr_ios) + " 0 " + std::to_string(d.wr_sectors) +
             " 0 0 0 0 0 0 0 0 0 0\n";
    }
    return s;
}

inline std::string meminfo_text(std::uint64_t total, std::uint64_t free, std::uint64_t avail) {
    return "MemTotal: " + std::to_string(total) + " kB\nMemFree: " + std::to_string(free) +
           " kB\nMemAvailable: " + std::to_string(avail) +
           " kB\nBuffers: 0 kB\nCached: 0 kB\n"
           "SwapTotal: 0 kB\nCommitted_AS: 0 kB\nSlab: 0 kB\n";
}

inline std::string line(std::int64_t ts, const std::string& subsystem, const std::string& text) {
    return pc::record::encode_record(pc::record::Record{ts, subsystem, text});
}

}  // namespace pc::test
