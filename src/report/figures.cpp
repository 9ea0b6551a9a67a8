#include "pc/report/figures.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>

namespace pc::report {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr double kKbPerGib = 1024.0 * 1024.0;

double number(const std::vector<std::string>& f, std::size_t i) {
    if (i >= f.size() || f[i].empty()) return kNone;
    double v = kNone;
    const char* begin = f[i].data();
    const char* end = begin + f[i].size();
    auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end) return kNone;
    return v;
}

std::int64_t timestamp(const std::vector<std::string>& f) {
    std::int64_t ts = 0;
    if (!f.empty()) std::from_chars(f[0].data(), f[0].data() + f[0].size(), ts);
    return ts;
}

void set(Chart& chart, std::string_view label, double value) {
    chart.table.set(chart.table.column(label), value);
}

Chart make_chart(std::string title, std::string unit, double max_y = 0, bool stacked = false) {
    Chart c;
    c.title = std::move(title);
    c.unit = std::move(unit);
    c.max_y = max_y;
    c.stacked = stacked;
    return c;
}

}  // namespace

void split_csv_line(std::string_view line, std::vector<std::string>& fields) {
    fields.clear();
    std::size_t i = 0;
    while (true) {
        std::string& field = fields.emplace_back();
        if (i < line.size() && line[i] == '"') {
            ++i;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += line[i++];
            }
            // Anything between the closing quote and the comma is kept, as most readers do.
            while (i < line.size() && line[i] != ',') field += line[i++];
        } else {
            const std::size_t comma = std::min(line.find(',', i), line.size());
            field.assign(line.substr(i, comma - i));
            i = comma;
        }
        if (i >= line.size()) break;
        ++i;  // the comma
    }
}

SummaryMetric& Figures::metric(const std::string& figure, const std::string& unit) {
    for (auto& m : summary_) {
        if (m.figure == figure && m.unit == unit) return m;
    }
    SummaryMetric& m = summary_.emplace_back();
    m.figure = figure;
    m.unit = unit;
    return m;
}

Chart& Figures::named_chart(std::vector<Chart>& charts, const std::string& title,
                            const std::string& device) {
    for (auto& c : charts) {
        if (c.title == title) return c;
    }
    Chart& c = charts.emplace_back(make_chart(title, ""));
    c.device = device;
    return c;
}

namespace {

bool all_zero(const TimeTable& t) {
    for (std::size_t c = 0; c < t.columns(); ++c) {
        for (double v : t.values(c)) {
            if (!std::isnan(v) && v != 0) return false;
        }
    }
    return true;
}

}  // namespace

std::vector<std::string> Figures::idle_devices() const {
    std::vector<std::string> devices, busy;
    for (const auto* group : {&net_, &disk_}) {
        for (const Chart& c : *group) {
            if (std::find(devices.begin(), devices.end(), c.device) == devices.end()) {
                devices.push_back(c.device);
            }
            if (!all_zero(c.table)) busy.push_back(c.device);
        }
    }
    std::vector<std::string> idle;
    for (const auto& d : devices) {
        if (std::find(busy.begin(), busy.end(), d) == busy.end()) idle.push_back(d);
    }
    return idle;
}

void Figures::add_rows(std::string_view output, std::string_view rows) {
    void (Figures::*row)(const std::vector<std::string>&) = nullptr;
    if (output == "proc/stat") {
        row = &Figures::stat_row;
    } else if (output == "proc/meminfo") {
        row = &Figures::meminfo_row;
    } else if (output == "proc/net/dev") {
        row = &Figures::net_dev_row;
    } else if (output == "proc/diskstats") {
        row = &Figures::diskstats_row;
    } else if (output == "statfs_ALL") {
        row = &Figures::statfs_row;
    } else if (output == "proc/loadavg") {
        row = &Figures::loadavg_row;
    } else {
        return;
    }
    while (!rows.empty()) {
        const std::size_t nl = std::min(rows.find('\n'), rows.size());
        std::string_view line = rows.substr(0, nl);
        rows.remove_prefix(std::min(nl + 1, rows.size()));
        if (line.empty()) continue;
        split_csv_line(line, fields_);
        (this->*row)(fields_);
    }
}

// #timestamp,CPU,%usr,%nice,%system,%iowait,%steal,%idle
void Figures::stat_row(const std::vector<std::string>& f) {
    if (f.size() < 8) return;
    const std::int64_t ts = timestamp(f);
    const double busy = 100 - number(f, 7);
    if (f[1] == "-1") {
        if (cpu_all_.title.empty())
            cpu_all_ = make_chart("CPU, all CPUs", "% of CPU time", 100, true);
        cpu_all_.table.at(ts);
        static const char* const kLabels[] = {"%usr", "%nice", "%system", "%iowait", "%steal"};
        for (std::size_t i = 0; i < 5; ++i) set(cpu_all_, kLabels[i], number(f, i + 2));
        SummaryMetric& m = metric("CPU busy (all CPUs)", "%");
        m.rank = 0;
        m.values.push_back(busy);
        return;
    }
    if (cpu_each_.title.empty()) {
        cpu_each_ = make_chart("CPU busy per CPU", "% busy", 100);
        cpu_each_.per_cpu = true;
    }
    cpu_each_.table.at(ts);
    set(cpu_each_, "CPU " + f[1], busy);
}

// #timestamp,kbmemfree,kbavail,kbmemused,%memused,kbbuffers,kbcached,kbcommit,%commit,...
void Figures::meminfo_row(const std::vector<std::string>& f) {
    if (f.size() < 12) return;
    if (memory_.title.empty()) memory_ = make_chart("Memory", "GiB");
    memory_.table.at(timestamp(f));
    set(memory_, "used", number(f, 3) / kKbPerGib);
    set(memory_, "cached", number(f, 6) / kKbPerGib);
    set(memory_, "buffers", number(f, 5) / kKbPerGib);
    set(memory_, "free", number(f, 1) / kKbPerGib);
    set(memory_, "available", number(f, 2) / kKbPerGib);
    set(memory_, "dirty", number(f, 11) / kKbPerGib);
    SummaryMetric& m = metric("Memory used", "%");
    m.rank = 1;
    m.values.push_back(number(f, 4));
}

// #timestamp,IFACE,rxpck/s,txpck/s,rxkB/s,txkB/s,rxcmp/s,txcmp/s,rxmcst/s,%ifutil
void Figures::net_dev_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    Chart& c = named_chart(net_, "Network " + f[1], f[1]);
    if (c.unit.empty()) {
        c.unit = "kB/s";
        c.right_unit = "packets/s";
        c.right_series = {"received packets/s", "sent packets/s"};
    }
    c.table.at(timestamp(f));
    set(c, "received kB/s", number(f, 4));
    set(c, "sent kB/s", number(f, 5));
    set(c, "received packets/s", number(f, 2));
    set(c, "sent packets/s", number(f, 3));
    SummaryMetric& rx = metric(f[1] + " received", "kB/s");
    rx.rank = 2;
    rx.device = f[1];
    rx.values.push_back(number(f, 4));
    SummaryMetric& tx = metric(f[1] + " sent", "kB/s");
    tx.rank = 2;
    tx.device = f[1];
    tx.values.push_back(number(f, 5));
}

// #timestamp,DEV,tps,rtps,wtps,dtps,bread/s,bwrtn/s,bdscd/s,aqu-sz,areq-sz,await,%util
// bread/s, bwrtn/s and bdscd/s count 512-byte sectors: kB/s is half of them.
void Figures::diskstats_row(const std::vector<std::string>& f) {
    if (f.size() < 13) return;
    const std::int64_t ts = timestamp(f);
    const std::string& dev = f[1];
    Chart& io = named_chart(disk_, "Disk " + dev + ": throughput", dev);
    if (io.unit.empty()) {
        io.unit = "kB/s";
        io.right_unit = "IO/s";
        io.right_series = {"IOPS (transfers/s)"};
    }
    io.table.at(ts);
    set(io, "read kB/s", number(f, 6) / 2);
    set(io, "written kB/s", number(f, 7) / 2);
    set(io, "discarded kB/s", number(f, 8) / 2);
    set(io, "IOPS (transfers/s)", number(f, 2));
    Chart& lat = named_chart(disk_, "Disk " + dev + ": latency and utilisation", dev);
    if (lat.unit.empty()) {
        lat.unit = "ms";
        lat.right_unit = "% busy";
        lat.right_series = {"%util"};
    }
    lat.table.at(ts);
    set(lat, "await ms", number(f, 11));
    set(lat, "%util", number(f, 12));
    struct Item {
        const char* what;
        const char* unit;
        double value;
    };
    const Item items[] = {{" IOPS", "IO/s", number(f, 2)},
                          {" throughput", "kB/s", (number(f, 6) + number(f, 7) + number(f, 8)) / 2},
                          {" await", "ms", number(f, 11)},
                          {" utilisation", "%", number(f, 12)}};
    for (const Item& item : items) {
        SummaryMetric& m = metric(dev + item.what, item.unit);
        m.rank = 3;
        m.device = dev;
        m.values.push_back(item.value);
    }
}

// #timestamp,mount,blocksize,blockstotal,blocksavail,use
void Figures::statfs_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    if (filesystems_.title.empty()) {
        filesystems_ = make_chart("Filesystems: space used", "% used", 100);
    }
    filesystems_.table.at(timestamp(f));
    set(filesystems_, f[1], number(f, 5));
    SummaryMetric& m = metric(f[1] + " space used", "%");
    m.rank = 4;
    m.values.push_back(number(f, 5));
}

// #timestamp,runq-sz,plist-sz,ldavg-1,ldavg-5,ldavg-15
void Figures::loadavg_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    if (load_.title.empty()) load_ = make_chart("Load average", "runnable tasks");
    load_.table.at(timestamp(f));
    set(load_, "1 min", number(f, 3));
    set(load_, "5 min", number(f, 4));
    set(load_, "15 min", number(f, 5));
}

// timestamp,container_id,container_name,runtime,cpu_percent,cpu_user_percent,
// cpu_system_percent,memory_current_bytes,memory_max_bytes,memory_percent,...
void Figures::add_cgroup_csv(std::string_view kind, std::string_view csv) {
    struct Sample {
        std::int64_t ts;
        std::size_t series;
        double cpu;
        double memory_mib;
    };
    std::vector<Sample> samples;
    std::vector<std::pair<std::string, std::string>> series;  // (id, label)
    bool header = true;
    while (!csv.empty()) {
        const std::size_t nl = std::min(csv.find('\n'), csv.size());
        std::string_view line = csv.substr(0, nl);
        csv.remove_prefix(std::min(nl + 1, csv.size()));
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (header || line.empty()) {
            header = false;
            continue;
        }
        split_csv_line(line, fields_);
        if (fields_.size() < 10) continue;
        const std::string& id = fields_[1];
        auto it = std::find_if(series.begin(), series.end(),
                               [&](const auto& s) { return s.first == id; });
        if (it == series.end()) {
            std::string label = fields_[2].empty() ? id.substr(0, 12) : fields_[2];
            const bool taken = std::any_of(series.begin(), series.end(),
                                           [&](const auto& s) { return s.second == label; });
            if (taken) label += " (" + id.substr(0, 12) + ")";
            series.emplace_back(id, std::move(label));
            it = series.end() - 1;
        }
        samples.push_back({timestamp(fields_), static_cast<std::size_t>(it - series.begin()),
                           number(fields_, 4), number(fields_, 7) / (1024.0 * 1024.0)});
    }
    if (samples.empty()) return;
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
    Chart cpu = make_chart(std::string(kind) + ": CPU", "% of one CPU");
    Chart memory = make_chart(std::string(kind) + ": memory", "MiB");
    for (const Sample& s : samples) {
        cpu.table.at(s.ts);
        memory.table.at(s.ts);
        set(cpu, series[s.series].second, s.cpu);
        set(memory, series[s.series].second, s.memory_mib);
    }
    cgroups_.push_back(std::move(cpu));
    cgroups_.push_back(std::move(memory));
}

std::vector<const Chart*> Figures::charts() const {
    std::vector<const Chart*> out;
    const std::vector<std::string> idle = idle_devices();
    auto add = [&](const Chart& c) {
        if (c.table.empty()) return;
        if (!c.device.empty() && std::find(idle.begin(), idle.end(), c.device) != idle.end()) {
            return;
        }
        out.push_back(&c);
    };
    add(cpu_all_);
    add(cpu_each_);
    add(memory_);
    add(load_);
    for (const auto& c : net_) add(c);
    for (const auto& c : disk_) add(c);
    add(filesystems_);
    for (const auto& c : cgroups_) add(c);
    return out;
}

std::vector<const SummaryMetric*> Figures::summary() const {
    std::vector<const SummaryMetric*> out;
    const std::vector<std::string> idle = idle_devices();
    for (const auto& m : summary_) {
        if (!m.device.empty() && std::find(idle.begin(), idle.end(), m.device) != idle.end()) {
            continue;
        }
        out.push_back(&m);
    }
    std::stable_sort(out.begin(), out.end(), [](const SummaryMetric* a, const SummaryMetric* b) {
        return a->rank < b->rank;
    });
    return out;
}

}  // namespace pc::report
