#include "pc/report/figures.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
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

Chart new_chart(std::string title, std::string unit, std::size_t keep, double max_y = 0,
                bool stacked = false) {
    Chart c;
    c.table = TimeTable(keep);
    c.title = std::move(title);
    c.unit = std::move(unit);
    c.max_y = max_y;
    c.stacked = stacked;
    return c;
}

}  // namespace

void split_csv_line(std::string_view line, std::vector<std::string>& fields) {
    // The strings of the previous line are reused: their buffers stay allocated.
    std::size_t n = 0;
    std::size_t i = 0;
    while (true) {
        if (n == fields.size()) fields.emplace_back();
        std::string& field = fields[n++];
        field.clear();
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
    fields.resize(n);
}

Chart Figures::make_chart(std::string title, std::string unit, double max_y, bool stacked) const {
    return new_chart(std::move(title), std::move(unit), keep_, max_y, stacked);
}

std::size_t Figures::new_metric(std::string figure, std::string unit, int rank,
                                std::string device) {
    SummaryMetric& m = summary_.emplace_back();
    m.figure = std::move(figure);
    m.unit = std::move(unit);
    m.rank = rank;
    m.device = std::move(device);
    return summary_.size() - 1;
}

std::vector<std::string> Figures::idle_devices() const {
    std::vector<std::string> devices, busy;
    for (const auto* group : {&net_, &disk_}) {
        for (const Chart& c : *group) {
            if (std::find(devices.begin(), devices.end(), c.device) == devices.end()) {
                devices.push_back(c.device);
            }
            if (!c.table.all_zero()) busy.push_back(c.device);
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

// Charts get their columns in a fixed order when made, so that rows set them by index; the
// per-device charts, columns and summary lines are found by name once (slots).

// #timestamp,CPU,%usr,%nice,%system,%iowait,%steal,%idle
void Figures::stat_row(const std::vector<std::string>& f) {
    if (f.size() < 8) return;
    const std::int64_t ts = timestamp(f);
    const double busy = 100 - number(f, 7);
    if (f[1] == "-1") {
        if (cpu_all_.title.empty()) {
            cpu_all_ = make_chart("CPU, all CPUs", "% of CPU time", 100, true);
            for (const char* label : {"%usr", "%nice", "%system", "%iowait", "%steal"}) {
                cpu_all_.table.column(label);
            }
            cpu_busy_metric_ = new_metric("CPU busy (all CPUs)", "%", 0, "");
        }
        cpu_all_.table.at(ts);
        for (std::size_t i = 0; i < 5; ++i) cpu_all_.table.set(i, number(f, i + 2));
        summary_[cpu_busy_metric_].samples.add(busy);
        return;
    }
    if (cpu_each_.title.empty()) {
        cpu_each_ = make_chart("CPU busy per CPU", "% busy", 100);
        cpu_each_.per_cpu = true;
    }
    auto slot = cpu_columns_.find(f[1]);
    if (slot == cpu_columns_.end()) {
        slot = cpu_columns_.emplace(f[1], cpu_each_.table.column("CPU " + f[1])).first;
    }
    cpu_each_.table.at(ts);
    cpu_each_.table.set(slot->second, busy);
}

// #timestamp,kbmemfree,kbavail,kbmemused,%memused,kbbuffers,kbcached,kbcommit,%commit,...
void Figures::meminfo_row(const std::vector<std::string>& f) {
    if (f.size() < 12) return;
    if (memory_.title.empty()) {
        memory_ = make_chart("Memory", "GiB");
        for (const char* label : {"used", "cached", "buffers", "free", "available", "dirty"}) {
            memory_.table.column(label);
        }
        memory_metric_ = new_metric("Memory used", "%", 1, "");
    }
    memory_.table.at(timestamp(f));
    std::size_t i = 0;
    for (std::size_t field : std::initializer_list<std::size_t>{3, 6, 5, 1, 2, 11})
        memory_.table.set(i++, number(f, field) / kKbPerGib);
    summary_[memory_metric_].samples.add(number(f, 4));
}

// #timestamp,IFACE,rxpck/s,txpck/s,rxkB/s,txkB/s,rxcmp/s,txcmp/s,rxmcst/s,%ifutil
void Figures::net_dev_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    auto slot = net_slots_.find(f[1]);
    if (slot == net_slots_.end()) {
        Slots s;
        s.chart = net_.size();
        Chart& c = net_.emplace_back(make_chart("Network " + f[1], "kB/s"));
        c.device = f[1];
        c.right_unit = "packets/s";
        c.right_series = {"received packets/s", "sent packets/s"};
        for (const char* label :
             {"received kB/s", "sent kB/s", "received packets/s", "sent packets/s"}) {
            c.table.column(label);
        }
        s.metrics[0] = new_metric(f[1] + " received", "kB/s", 2, f[1]);
        s.metrics[1] = new_metric(f[1] + " sent", "kB/s", 2, f[1]);
        slot = net_slots_.emplace(f[1], s).first;
    }
    const Slots& s = slot->second;
    TimeTable& t = net_[s.chart].table;
    t.at(timestamp(f));
    std::size_t i = 0;
    for (std::size_t field : std::initializer_list<std::size_t>{4, 5, 2, 3})
        t.set(i++, number(f, field));
    summary_[s.metrics[0]].samples.add(number(f, 4));
    summary_[s.metrics[1]].samples.add(number(f, 5));
}

// #timestamp,DEV,tps,rtps,wtps,dtps,bread/s,bwrtn/s,bdscd/s,aqu-sz,areq-sz,await,%util
// bread/s, bwrtn/s and bdscd/s count 512-byte sectors: kB/s is half of them.
void Figures::diskstats_row(const std::vector<std::string>& f) {
    if (f.size() < 13) return;
    const std::int64_t ts = timestamp(f);
    const std::string& dev = f[1];
    auto slot = disk_slots_.find(dev);
    if (slot == disk_slots_.end()) {
        Slots s;
        s.chart = disk_.size();
        Chart& io = disk_.emplace_back(make_chart("Disk " + dev + ": throughput", "kB/s"));
        io.device = dev;
        io.right_unit = "IO/s";
        io.right_series = {"IOPS (transfers/s)"};
        for (const char* label :
             {"read kB/s", "written kB/s", "discarded kB/s", "IOPS (transfers/s)"}) {
            io.table.column(label);
        }
        s.chart2 = disk_.size();
        Chart& lat =
            disk_.emplace_back(make_chart("Disk " + dev + ": latency and utilisation", "ms"));
        lat.device = dev;
        lat.right_unit = "% busy";
        lat.right_series = {"%util"};
        lat.table.column("await ms");
        lat.table.column("%util");
        s.metrics[0] = new_metric(dev + " IOPS", "IO/s", 3, dev);
        s.metrics[1] = new_metric(dev + " throughput", "kB/s", 3, dev);
        s.metrics[2] = new_metric(dev + " await", "ms", 3, dev);
        s.metrics[3] = new_metric(dev + " utilisation", "%", 3, dev);
        slot = disk_slots_.emplace(dev, s).first;
    }
    const Slots& s = slot->second;
    const double tps = number(f, 2), rd = number(f, 6) / 2, wr = number(f, 7) / 2,
                 dc = number(f, 8) / 2, await = number(f, 11), util = number(f, 12);
    TimeTable& io = disk_[s.chart].table;
    io.at(ts);
    io.set(0, rd);
    io.set(1, wr);
    io.set(2, dc);
    io.set(3, tps);
    TimeTable& lat = disk_[s.chart2].table;
    lat.at(ts);
    lat.set(0, await);
    lat.set(1, util);
    summary_[s.metrics[0]].samples.add(tps);
    summary_[s.metrics[1]].samples.add((number(f, 6) + number(f, 7) + number(f, 8)) / 2);
    summary_[s.metrics[2]].samples.add(await);
    summary_[s.metrics[3]].samples.add(util);
}

// #timestamp,mount,blocksize,blockstotal,blocksavail,use
void Figures::statfs_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    if (filesystems_.title.empty()) {
        filesystems_ = make_chart("Filesystems: space used", "% used", 100);
    }
    auto slot = fs_slots_.find(f[1]);
    if (slot == fs_slots_.end()) {
        Slots s;
        s.chart = filesystems_.table.column(f[1]);
        s.metrics[0] = new_metric(f[1] + " space used", "%", 4, "");
        slot = fs_slots_.emplace(f[1], s).first;
    }
    filesystems_.table.at(timestamp(f));
    filesystems_.table.set(slot->second.chart, number(f, 5));
    summary_[slot->second.metrics[0]].samples.add(number(f, 5));
}

// #timestamp,runq-sz,plist-sz,ldavg-1,ldavg-5,ldavg-15
void Figures::loadavg_row(const std::vector<std::string>& f) {
    if (f.size() < 6) return;
    if (load_.title.empty()) {
        load_ = make_chart("Load average", "runnable tasks");
        for (const char* label : {"1 min", "5 min", "15 min"}) load_.table.column(label);
    }
    load_.table.at(timestamp(f));
    for (std::size_t i = 0; i < 3; ++i) load_.table.set(i, number(f, i + 3));
}

// timestamp,container_id,container_name,runtime,cpu_percent,cpu_user_percent,
// cpu_system_percent,memory_current_bytes,memory_max_bytes,memory_percent,...
void Figures::add_cgroup_csv(std::string_view kind, std::string_view csv) {
    for (Chart& c : cgroup_charts(kind, csv, keep_)) cgroups_.push_back(std::move(c));
}

std::vector<Chart> cgroup_charts(std::string_view kind, std::string_view csv, std::size_t keep) {
    std::vector<std::string> fields;
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
        split_csv_line(line, fields);
        if (fields.size() < 10) continue;
        const std::string& id = fields[1];
        auto it = std::find_if(series.begin(), series.end(),
                               [&](const auto& s) { return s.first == id; });
        if (it == series.end()) {
            std::string label = fields[2].empty() ? id.substr(0, 12) : fields[2];
            const bool taken = std::any_of(series.begin(), series.end(),
                                           [&](const auto& s) { return s.second == label; });
            if (taken) label += " (" + id.substr(0, 12) + ")";
            series.emplace_back(id, std::move(label));
            it = series.end() - 1;
        }
        samples.push_back({timestamp(fields), static_cast<std::size_t>(it - series.begin()),
                           number(fields, 4), number(fields, 7) / (1024.0 * 1024.0)});
    }
    if (samples.empty()) return {};
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
    Chart cpu = new_chart(std::string(kind) + ": CPU", "% of one CPU", keep);
    Chart memory = new_chart(std::string(kind) + ": memory", "MiB", keep);
    for (const Sample& s : samples) {
        cpu.table.at(s.ts);
        memory.table.at(s.ts);
        set(cpu, series[s.series].second, s.cpu);
        set(memory, series[s.series].second, s.memory_mib);
    }
    std::vector<Chart> out;
    out.push_back(std::move(cpu));
    out.push_back(std::move(memory));
    return out;
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
