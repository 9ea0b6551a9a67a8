// A synthetic collection for report tests: every subsystem pcc records, counters that move
// deterministically with a spike, of any length (a 24 h collection at 1 s is generated in the
// test, never committed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collection_builder.hpp"
#include "pc/record/record.hpp"

namespace pc::test {

struct SyntheticHost {
    std::int64_t start = 1767800000;
    std::int64_t ticks = 60;
    std::int64_t interval = 1;
    std::size_t cpus = 4;
    std::string cpu_model = "Synthetic CPU @ 2.00GHz";
    std::string iface = "eth0";
    std::string disk = "sda";
    std::string mount = "/";
    std::string container_name = "web";  // "" = no container records
    std::int64_t spike_tick = -1;        // CPU 0 fully busy during that tick
    std::int64_t gap_after = -1;         // ticks after this one are `gap_ticks` later
    std::int64_t gap_ticks = 0;
    std::uint64_t mem_total_kb = 16384000;
};

// Calls out(record) for every record of the collection, in order.
template <class Out>
void synthetic_host_each(const SyntheticHost& c, Out&& out) {
    std::vector<Cpu> per(c.cpus);
    std::uint64_t rx = 0, tx = 0, rd = 0, wr = 0, rdios = 0, wrios = 0, ioticks = 0, cg_cpu = 0;
    std::uint32_t seed = 12345;
    auto next = [&seed](std::uint32_t mod) {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) % mod;
    };
    std::string cpuinfo;
    for (std::size_t i = 0; i < c.cpus; ++i) {
        cpuinfo +=
            "processor\t: " + std::to_string(i) +
            "\nvendor_id\t: GenuineIntel\nmodel name\t: " + c.cpu_model +
            "\ncpu MHz\t\t: 2000.000\nphysical id\t: 0\ncpu cores\t: " + std::to_string(c.cpus) +
            "\n\n";
    }
    const std::uint64_t hz = 100;
    for (std::int64_t t = 0; t < c.ticks; ++t) {
        std::int64_t ts = c.start + t * c.interval;
        if (c.gap_after >= 0 && t > c.gap_after) ts += c.gap_ticks * c.interval;
        const std::uint64_t elapsed = static_cast<std::uint64_t>(ts - c.start);
        if (t == 0) out(record::Record{ts, "/proc/cpuinfo", cpuinfo});
        out(record::Record{
            ts, "/proc/uptime",
            std::to_string(1000 + elapsed) + ".00 " + std::to_string(elapsed) + ".00\n"});
        Cpu total;
        for (std::size_t i = 0; i < c.cpus; ++i) {
            const std::uint64_t busy = t == c.spike_tick && i == 0 ? hz : next(40);
            const std::uint64_t u = busy * 3 / 4, s = busy - u;
            const std::uint64_t w = busy < hz ? std::min<std::uint64_t>(next(5), hz - busy) : 0;
            per[i].user += u;
            per[i].system += s;
            per[i].iowait += w;
            per[i].idle += hz - busy - w;
            total.user += per[i].user;
            total.system += per[i].system;
            total.iowait += per[i].iowait;
            total.idle += per[i].idle;
        }
        out(record::Record{ts, "/proc/stat", stat_text(total, per)});
        const std::uint64_t free_kb = c.mem_total_kb / 4 + next(100000);
        out(record::Record{ts, "/proc/meminfo",
                           meminfo_text(c.mem_total_kb, free_kb, free_kb + c.mem_total_kb / 8)});
        rx += 100000 + next(50000);
        tx += 20000 + next(10000);
        out(record::Record{ts, "/proc/net/dev",
                           net_dev_text({{"lo", 1000 * (elapsed + 1), 10 * (elapsed + 1),
                                          1000 * (elapsed + 1), 10 * (elapsed + 1)},
                                         {c.iface, rx, rx / 1000, tx, tx / 1000}})});
        const std::uint64_t r_ios = next(50), w_ios = next(80);
        rdios += r_ios;
        wrios += w_ios;
        rd += r_ios * 16;
        wr += w_ios * 32;
        ioticks += std::min<std::uint64_t>(1000, (r_ios + w_ios) * 4);
        std::string disk = "   8       0 " + c.disk + " " + std::to_string(rdios) + " 0 " +
                           std::to_string(rd) + " " + std::to_string(rdios * 2) + " " +
                           std::to_string(wrios) + " 0 " + std::to_string(wr) + " " +
                           std::to_string(wrios * 3) + " 0 " + std::to_string(ioticks) + " " +
                           std::to_string(ioticks * 2) + " 0 0 0 0 0 0\n";
        out(record::Record{ts, "/proc/diskstats", disk});
        const std::uint64_t total_blocks = 1000000;
        const std::uint64_t avail = 600000 - static_cast<std::uint64_t>(t) % 1000;
        std::string mount_json;
        for (char ch : c.mount) {
            if (ch == '"' || ch == '\\') mount_json += '\\';
            mount_json += ch;
        }
        out(record::Record{
            ts, "statfs[*]",
            "{\"mount_point\":\"" + mount_json + "\",\"block_size\":4096,\"blocks_total\":" +
                std::to_string(total_blocks) + ",\"blocks_free\":" + std::to_string(avail) +
                ",\"blocks_available\":" + std::to_string(avail) + "}\n"});
        out(record::Record{ts, "/proc/loadavg", "0.52 0.61 0.70 1/234 5678\n"});
        if (!c.container_name.empty()) {
            cg_cpu += 200000 + next(300000);
            std::string name_json;
            for (char ch : c.container_name) {
                if (ch == '"' || ch == '\\') name_json += '\\';
                name_json += ch;
            }
            out(record::Record{
                ts, "container/docker/0123456789ab",
                "{\"container_id\":\"0123456789abcdef0123456789abcdef\","
                "\"container_name\":\"" +
                    name_json + "\",\"cpu_usage_usec\":" + std::to_string(cg_cpu) +
                    ",\"cpu_user_usec\":" + std::to_string(cg_cpu / 2) +
                    ",\"cpu_system_usec\":" + std::to_string(cg_cpu / 2) + ",\"memory_current\":" +
                    std::to_string(100000000 + next(1000000)) + ",\"memory_max\":0}"});
        }
    }
}

inline std::vector<record::Record> synthetic_host_records(const SyntheticHost& c) {
    std::vector<record::Record> out;
    synthetic_host_each(c, [&](record::Record r) { out.push_back(std::move(r)); });
    return out;
}

// The collection as JSON Lines, as pcc writes it.
inline std::string synthetic_host_text(const SyntheticHost& c) {
    std::string out;
    synthetic_host_each(c, [&](const record::Record& r) { out += record::encode_record(r); });
    return out;
}

}  // namespace pc::test
