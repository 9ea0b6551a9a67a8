// Writes a synthetic collection shaped like a real pcc one: every tick /proc/stat (with a long
// intr line), /proc/meminfo, /proc/net/dev, /proc/diskstats and statfs[*], optionally
// /proc/cpuinfo first; counters grow by pseudo-random amounts. Usage:
//   pcprocess_bench_gen --output FILE [--ticks 86400] [--interval 1] [--cpus 8] [--disks 6]
//                       [--ifaces 4] [--mounts 3] [--cpuinfo] [--seed 1]
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "pc/record/codec.hpp"

namespace {

struct Args {
    std::string output;
    std::int64_t ticks = 86400, interval = 1;
    int cpus = 8, disks = 6, ifaces = 4, mounts = 3;
    bool cpuinfo = false;
    unsigned seed = 1;
};

bool parse(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        auto val = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (k == "--cpuinfo") {
            a.cpuinfo = true;
            continue;
        }
        if (!(v = val())) return false;
        if (k == "--output")
            a.output = v;
        else if (k == "--ticks")
            a.ticks = std::stoll(v);
        else if (k == "--interval")
            a.interval = std::stoll(v);
        else if (k == "--cpus")
            a.cpus = std::stoi(v);
        else if (k == "--disks")
            a.disks = std::stoi(v);
        else if (k == "--ifaces")
            a.ifaces = std::stoi(v);
        else if (k == "--mounts")
            a.mounts = std::stoi(v);
        else if (k == "--seed")
            a.seed = static_cast<unsigned>(std::stoul(v));
        else
            return false;
    }
    return !a.output.empty();
}

std::string u(std::uint64_t v) {
    return std::to_string(v);
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    if (!parse(argc, argv, a)) {
        std::fprintf(
            stderr,
            "usage: pcprocess_bench_gen --output FILE [--ticks N] [--interval S] [--cpus N] "
            "[--disks N] [--ifaces N] [--mounts N] [--cpuinfo] [--seed N]\n");
        return 2;
    }
    std::FILE* f = a.output == "-" ? stdout : std::fopen(a.output.c_str(), "wb");
    if (!f) {
        std::perror(a.output.c_str());
        return 1;
    }
    std::mt19937_64 rng(a.seed);
    auto r = [&](std::uint64_t n) { return n == 0 ? 0 : rng() % n; };

    std::vector<std::array<std::uint64_t, 10>> cpu(static_cast<std::size_t>(a.cpus));
    for (auto& c : cpu) c = {35757, 289, 6634, 310984, 12369, 0, 44, 231, 0, 0};
    std::vector<std::array<std::uint64_t, 17>> disk(static_cast<std::size_t>(a.disks) + 4);
    std::vector<std::array<std::uint64_t, 16>> net(static_cast<std::size_t>(a.ifaces));
    std::string intr = "intr 1124282";
    for (int i = 0; i < 300; ++i) intr += i % 17 == 0 ? " 2009" : " 0";

    std::string cpuinfo_text;
    for (int p = 0; p < a.cpus; ++p) {
        cpuinfo_text +=
            "processor\t: " + std::to_string(p) +
            "\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: "
            "Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz\nstepping\t: 7\ncpu MHz\t\t: "
            "2593.905\ncache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: " +
            std::to_string(a.cpus) + "\ncore id\t\t: " + std::to_string(p / 2) +
            "\ncpu cores\t: " + std::to_string(a.cpus / 2 + 1) +
            "\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov "
            "pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm "
            "constant_tsc rep_good nopl xtopology cpuid pni pclmulqdq ssse3 fma cx16 "
            "pcid sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand hypervisor\n"
            "bogomips\t: 5187.81\naddress sizes\t: 46 bits physical, 48 bits virtual\n"
            "power management:\n\n";
    }

    std::string out;
    pc::record::Record rec;
    std::int64_t ts = 1767800521;
    for (std::int64_t t = 0; t < a.ticks; ++t, ts += a.interval) {
        out.clear();
        rec.timestamp = ts;
        if (a.cpuinfo) {
            rec.subsystem = "/proc/cpuinfo";
            rec.measurement = cpuinfo_text;
            pc::record::encode_record(rec, out);
        }
        // /proc/stat: per-CPU jiffies advance by 100 per second in all.
        std::array<std::uint64_t, 10> total{};
        std::string per_cpu;
        for (auto& c : cpu) {
            std::uint64_t budget = 100 * static_cast<std::uint64_t>(a.interval);
            std::uint64_t user = r(budget / 2), sys = r(budget / 8), io = r(4), soft = r(2);
            c[0] += user;
            c[2] += sys;
            c[4] += io;
            c[6] += soft;
            c[3] += budget - user - sys - io - soft;
            for (std::size_t k = 0; k < 10; ++k) total[k] += c[k];
        }
        std::string stat = "cpu ";
        // append, not `" " + u(v)`: GCC 12 -O3 reports a false -Wrestrict on that operator+.
        for (auto v : total) stat.append(1, ' ').append(u(v));
        stat += "\n";
        for (std::size_t i = 0; i < cpu.size(); ++i) {
            stat += "cpu" + std::to_string(i);
            for (auto v : cpu[i]) stat.append(1, ' ').append(u(v));
            stat += "\n";
        }
        stat += intr + "\nctxt " + u(1285206 + static_cast<std::uint64_t>(t) * 500) +
                "\nbtime 1767798686\nprocesses " + u(48329 + static_cast<std::uint64_t>(t)) +
                "\nprocs_running " + u(1 + r(4)) + "\nprocs_blocked " + u(r(2)) +
                "\nsoftirq 593273 4 121951 333 65667 0 0 139 151604 0 253575\n";
        rec.subsystem = "/proc/stat";
        rec.measurement = stat;
        pc::record::encode_record(rec, out);

        std::uint64_t free_kb = 1221336 + r(10000);
        rec.subsystem = "/proc/meminfo";
        rec.measurement =
            "MemTotal:        3707644 kB\nMemFree:         " + u(free_kb) +
            " kB\nMemAvailable:    3012800 kB\nBuffers:              28 kB\nCached:          "
            "1983700 "
            "kB\nSwapCached:        21624 kB\nActive:           803888 kB\nInactive:        "
            "1380900 "
            "kB\nActive(anon):      98712 kB\nInactive(anon):   121020 kB\nActive(file):    705176 "
            "kB\nInactive(file):  1259880 kB\nUnevictable:       27412 kB\nMlocked:           "
            "27412 "
            "kB\nSwapTotal:       5804024 kB\nSwapFree:        5597164 kB\nDirty:               " +
            u(r(1000)) +
            " kB\nWriteback:             0 kB\nAnonPages:        225040 kB\nMapped:           "
            "254332 "
            "kB\nShmem:             10332 kB\nKReclaimable:      66428 kB\nSlab:             "
            "136652 "
            "kB\nSReclaimable:      66428 kB\nSUnreclaim:        70224 kB\nKernelStack:        "
            "4992 "
            "kB\nPageTables:         6412 kB\nNFS_Unstable:          0 kB\nBounce:                "
            "0 "
            "kB\nWritebackTmp:          0 kB\nCommitLimit:     7657844 kB\nCommitted_AS:    "
            "3123392 "
            "kB\nVmallocTotal:   34359738367 kB\nVmallocUsed:       27932 kB\nVmallocChunk:        "
            "  "
            "0 kB\nPercpu:             1600 kB\nHardwareCorrupted:     0 kB\nAnonHugePages:        "
            " "
            "0 kB\nHugePages_Total:       0\nHugePages_Free:        0\nHugepagesize:       2048 "
            "kB\nHugetlb:               0 kB\nDirectMap4k:      219136 kB\nDirectMap2M:     "
            "3975168 "
            "kB\n";
        pc::record::encode_record(rec, out);

        std::string nd =
            "Inter-|   Receive                                                |  Transmit\n face "
            "|bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
            "drop "
            "fifo colls carrier compressed\n";
        for (std::size_t i = 0; i < net.size(); ++i) {
            auto& n = net[i];
            std::uint64_t rp = r(200), tp = r(150);
            n[1] += rp;
            n[0] += rp * (60 + r(1400));
            n[9] += tp;
            n[8] += tp * (60 + r(1400));
            nd += (i == 0 ? std::string("    lo") : "  eth" + std::to_string(i - 1)) + ":";
            for (auto v : n) nd.append(1, ' ').append(u(v));
            nd += "\n";
        }
        rec.subsystem = "/proc/net/dev";
        rec.measurement = nd;
        pc::record::encode_record(rec, out);

        // Disks: sda, sdb, ... plus 4 idle loop devices that sar skips.
        std::string ds;
        for (std::size_t i = 0; i < disk.size(); ++i) {
            auto& d = disk[i];
            bool loop = i >= static_cast<std::size_t>(a.disks);
            if (!loop) {
                std::uint64_t rd = r(80), wr = r(40);
                d[0] += rd;
                d[2] += rd * 8;
                d[3] += rd;
                d[4] += wr;
                d[6] += wr * 16;
                d[7] += wr * 2;
                d[9] += rd + wr;
                d[10] += rd + 2 * wr;
            }
            std::string name = loop ? "loop" + std::to_string(i - static_cast<std::size_t>(a.disks))
                                    : std::string("sd") + static_cast<char>('a' + i);
            ds += std::string(loop ? "   7" : "   8") + "       " + std::to_string(i * 16) + " " +
                  name;
            for (auto v : d) ds.append(1, ' ').append(u(v));
            ds += "\n";
        }
        rec.subsystem = "/proc/diskstats";
        rec.measurement = ds;
        pc::record::encode_record(rec, out);

        std::string fs;
        for (int m = 0; m < a.mounts; ++m) {
            std::string mp = m == 0 ? "/" : "/data" + std::to_string(m);
            std::uint64_t total_blocks = 9301568 + static_cast<std::uint64_t>(m) * 1000;
            std::uint64_t avail = 5874698 - r(1000);
            fs += "{\"mount_point\":\"" + mp +
                  "\",\"block_size\":4096,\"blocks_total\":" + u(total_blocks) +
                  ",\"blocks_free\":" + u(avail + 100) + ",\"blocks_available\":" + u(avail) +
                  "}\n";
        }
        rec.subsystem = "statfs[*]";
        rec.measurement = fs;
        pc::record::encode_record(rec, out);

        if (std::fwrite(out.data(), 1, out.size(), f) != out.size()) {
            std::perror("write");
            return 1;
        }
    }
    if (f != stdout && std::fclose(f) != 0) {
        std::perror("close");
        return 1;
    }
    return 0;
}
