#include "pc/validate/validator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "pc/core/saturating.hpp"
#include "pc/procfs/cpuinfo.hpp"
#include "pc/procfs/diskstats.hpp"
#include "pc/procfs/loadavg.hpp"
#include "pc/procfs/meminfo.hpp"
#include "pc/procfs/net_dev.hpp"
#include "pc/procfs/stat.hpp"
#include "pc/procfs/statfs.hpp"
#include "pc/procfs/uptime.hpp"
#include "pc/procfs/vmstat.hpp"
#include "pc/record/subsystem_names.hpp"
#include "pc/validate/counter_tracker.hpp"

namespace pc::validate {

const char* to_string(LineProblemKind kind) {
    switch (kind) {
        case LineProblemKind::malformed:
            return "malformed";
        case LineProblemKind::truncated:
            return "truncated";
        case LineProblemKind::bad_measurement:
            return "bad measurement";
    }
    return "unknown";
}

namespace {

// btime moves by a second now and then as the clock is disciplined; more than this, together
// with CPU counters going back, is a reboot.
constexpr std::uint64_t kBtimeTolerance = 2;
constexpr std::size_t kMaxTrackedSubsystems = 64;  // per-tick presence is a 64-bit mask

// Container and service (cgroup) records: a JSON object per container or unit.
bool is_container(const std::string& subsystem) {
    return subsystem.starts_with(record::subsystem::kContainerPrefix) ||
           subsystem.starts_with(record::subsystem::kServicePrefix);
}

// pcc writes /proc/cpuinfo in a run's first tick only (its content does not change), the
// original in every tick or never: a tick without it is complete.
bool expected_every_tick(const std::string& subsystem) {
    return !is_container(subsystem) && subsystem != record::subsystem::kCpuinfo;
}

struct Line {
    record::Record record;
    std::uint64_t line = 0;
};

struct TickInfo {
    std::int64_t timestamp = 0;
    std::uint64_t line = 0;
    std::uint64_t mask = 0;  // host subsystems present
};

// round(delta / f) - 1, without llround's undefined result past 2^63.
std::int64_t missing_between(std::int64_t delta, std::int64_t f) {
    const double ratio = std::round(static_cast<double>(delta) / static_cast<double>(f));
    constexpr double kLimit = 9.2e18;  // just below 2^63
    if (ratio >= kLimit) return std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int64_t>(ratio) - 1;
}

}  // namespace

struct CollectionValidator::Impl {
    ValidateOptions options;
    ValidationReport report;

    std::vector<Line> group;  // records of the tick being read
    std::unordered_set<std::int64_t> seen;
    std::optional<std::int64_t> last_in_order;
    std::vector<TickInfo> ticks;  // in-order ticks only
    std::unordered_map<std::string, std::size_t> coverage_index;
    std::unordered_set<std::string> unknown;
    bool any_container = false;
    bool any_host = false;
    // Containers of the last in-order tick: one that is absent from a tick has stopped, and
    // its counters start again from zero when it (or a new one with its name) comes back.
    std::unordered_set<std::string> containers_present;

    CounterTracker counters;
    std::optional<std::uint64_t> btime;
    std::optional<std::uint64_t> cpu_busy;

    procfs::StatSample stat;
    procfs::MemInfo meminfo;
    procfs::CpuInfoSummary cpuinfo;
    procfs::VmStat vmstat;
    procfs::LoadAvg loadavg;
    procfs::Uptime uptime;
    std::vector<procfs::NetDevice> net;
    std::vector<procfs::DiskDevice> disks;
    std::vector<procfs::FsStat> filesystems;

    void bad(const Line& l, const std::string& why) {
        report.line_problems.add(
            {l.line, LineProblemKind::bad_measurement, l.record.subsystem + ": " + why},
            options.max_examples);
    }

    void reset_if(bool went_back, const Line& l, const std::string& counter) {
        if (went_back) {
            report.counter_resets.add({l.record.timestamp, l.line, counter}, options.max_examples);
        }
    }

    void counter(const Line& l, bool track, const std::string& name, std::uint64_t value) {
        if (!track) return;
        std::string full = l.record.subsystem + " " + name;
        reset_if(counters.observe(full, value), l, full);
    }

    // Parses one record; with `track`, feeds its cumulative counters to the reset detector.
    void check_record(const Line& l, bool track) {
        const std::string& sub = l.record.subsystem;
        const std::string& text = l.record.measurement;
        if (sub == record::subsystem::kStat) {
            return;  // handled first, by check_stat
        } else if (sub == record::subsystem::kMeminfo) {
            if (auto s = procfs::parse_meminfo(text, meminfo); !s) return bad(l, s.message);
            if (!meminfo.has_mem_total) return bad(l, "no MemTotal line");
        } else if (sub == record::subsystem::kNetDev) {
            if (auto s = procfs::parse_net_dev(text, net); !s) return bad(l, s.message);
            for (const auto& d : net) {
                using F = procfs::NetDevice;
                counter(l, track, d.name + " rx_bytes", d[F::rx_bytes]);
                counter(l, track, d.name + " rx_packets", d[F::rx_packets]);
                counter(l, track, d.name + " tx_bytes", d[F::tx_bytes]);
                counter(l, track, d.name + " tx_packets", d[F::tx_packets]);
            }
        } else if (sub == record::subsystem::kDiskstats) {
            if (auto s = procfs::parse_diskstats(text, disks); !s) return bad(l, s.message);
            for (const auto& d : disks) {
                using F = procfs::DiskDevice;
                counter(l, track, d.name + " reads", d[F::rd_ios]);
                counter(l, track, d.name + " read_sectors", d[F::rd_sectors]);
                counter(l, track, d.name + " writes", d[F::wr_ios]);
                counter(l, track, d.name + " write_sectors", d[F::wr_sectors]);
            }
        } else if (sub == record::subsystem::kVmstat) {
            if (auto s = procfs::parse_vmstat(text, vmstat); !s) return bad(l, s.message);
            counter(l, track, "pgpgin", vmstat.pgpgin);
            counter(l, track, "pgpgout", vmstat.pgpgout);
            counter(l, track, "pgfault", vmstat.pgfault);
            counter(l, track, "pgmajfault", vmstat.pgmajfault);
        } else if (sub == record::subsystem::kCpuinfo) {
            cpuinfo = {};
            if (auto s = procfs::parse_cpuinfo(text, cpuinfo); !s) return bad(l, s.message);
            if (cpuinfo.total_cpus == 0) return bad(l, "no processor line");
        } else if (sub == record::subsystem::kUptime) {
            if (auto s = procfs::parse_uptime(text, uptime); !s) return bad(l, s.message);
        } else if (sub == record::subsystem::kLoadavg) {
            if (auto s = procfs::parse_loadavg(text, loadavg); !s) return bad(l, s.message);
        } else if (sub.starts_with("statfs[")) {
            if (auto s = procfs::parse_statfs(text, filesystems); !s) return bad(l, s.message);
        } else if (is_container(sub)) {
            auto j = nlohmann::json::parse(text, nullptr, false);
            if (j.is_discarded() || !j.is_object()) return bad(l, "not a JSON object");
            // A counter going back is the container restarting, reported once per record.
            bool restarted = false;
            for (const char* key : {"cpu_usage_usec", "io_read_bytes", "io_write_bytes"}) {
                if (track && j.contains(key) && j[key].is_number_unsigned() &&
                    counters.observe(sub + " " + key, j[key].get<std::uint64_t>()) && !restarted) {
                    restarted = true;
                    report.cgroup_restarts.add({l.record.timestamp, l.line, sub + " " + key},
                                               options.max_examples);
                }
            }
        } else if (unknown.insert(sub).second) {
            report.unknown_subsystems.push_back(sub);
        }
    }

    // /proc/stat first: a reboot (btime moved and CPU time went back) restarts every counter,
    // which must not be reported as resets.
    void check_stat(const Line& l, bool track) {
        if (auto s = procfs::parse_stat(l.record.measurement, stat); !s) return bad(l, s.message);
        if (!stat.has_total) return bad(l, "no aggregate 'cpu' line");
        using F = procfs::CpuJiffies;
        // idle and iowait are left out: kernels are known to move them backwards a little.
        std::uint64_t busy = stat.total[F::user] + stat.total[F::nice] + stat.total[F::system] +
                             stat.total[F::irq] + stat.total[F::softirq] + stat.total[F::steal];
        if (!track) return;
        bool cpu_back = cpu_busy && busy < *cpu_busy;
        if (stat.has_btime && btime && cpu_back &&
            (stat.btime > *btime ? stat.btime - *btime : *btime - stat.btime) > kBtimeTolerance) {
            report.reboots.add({l.record.timestamp, l.line, *btime, stat.btime},
                               options.max_examples);
            counters.clear();
        } else {
            reset_if(cpu_back, l, "/proc/stat cpu busy time");
        }
        if (stat.has_btime) btime = stat.btime;
        cpu_busy = busy;
    }

    void add(const record::ReadItem& item) {
        ++report.lines;
        if (item.status != record::LineStatus::ok) {
            report.line_problems.add(
                {item.line_number,
                 item.status == record::LineStatus::truncated ? LineProblemKind::truncated
                                                              : LineProblemKind::malformed,
                 item.error},
                options.max_examples);
            return;
        }
        ++report.records;
        if (!group.empty() && group.front().record.timestamp != item.record.timestamp) flush();
        group.push_back({item.record, item.line_number});
    }

    void flush() {
        if (group.empty()) return;
        ++report.ticks;
        const std::int64_t ts = group.front().record.timestamp;
        const std::uint64_t first_line = group.front().line;
        report.first_timestamp = std::min(report.first_timestamp.value_or(ts), ts);
        report.last_timestamp = std::max(report.last_timestamp.value_or(ts), ts);

        bool in_order = true;
        if (!seen.insert(ts).second) {
            report.duplicates.add({ts, first_line, "timestamp already seen earlier in the file"},
                                  options.max_examples);
            in_order = false;
        } else if (last_in_order && ts < *last_in_order) {
            report.out_of_order.add({ts, *last_in_order, first_line}, options.max_examples);
            in_order = false;
        }

        std::uint64_t mask = 0;
        bool repeated = !in_order;  // already reported as a duplicate
        std::vector<std::string> in_tick;
        for (const auto& l : group) {
            const std::string& sub = l.record.subsystem;
            if (std::find(in_tick.begin(), in_tick.end(), sub) != in_tick.end()) {
                // The tick (or part of it) was written twice in a row; its timestamp is still
                // a valid point of the timeline.
                if (!repeated) {
                    report.duplicates.add({ts, l.line, "subsystem " + sub + " twice in one tick"},
                                          options.max_examples);
                    repeated = true;
                }
                continue;
            }
            in_tick.push_back(sub);
            auto [it, inserted] = coverage_index.emplace(sub, report.subsystems.size());
            if (inserted) report.subsystems.push_back({sub, 0});
            ++report.subsystems[it->second].ticks;
            if (is_container(sub)) {
                any_container = true;
            } else {
                any_host = true;
            }
            if (expected_every_tick(sub) && it->second < kMaxTrackedSubsystems) {
                mask |= std::uint64_t{1} << it->second;
            }
        }
        if (in_order) forget_departed_containers(in_tick);

        for (const auto& l : group) {
            if (l.record.subsystem == record::subsystem::kStat) check_stat(l, in_order);
        }
        for (const auto& l : group) check_record(l, in_order);

        if (in_order) {
            ticks.push_back({ts, first_line, mask});
            last_in_order = ts;
        }
        group.clear();
    }

    void forget_departed_containers(const std::vector<std::string>& in_tick) {
        std::unordered_set<std::string> now;
        for (const auto& sub : in_tick) {
            if (is_container(sub)) now.insert(sub);
        }
        for (const auto& sub : containers_present) {
            if (!now.contains(sub)) counters.forget_prefix(sub + " ");
        }
        containers_present = std::move(now);
    }

    void finish_timing() {
        // In-order ticks ascend, so every delta is >= 0; it saturates rather than wrapping
        // when the file holds timestamps near +-2^63.
        std::vector<std::int64_t> deltas;
        for (std::size_t i = 1; i < ticks.size(); ++i) {
            deltas.push_back(core::saturating_sub(ticks[i].timestamp, ticks[i - 1].timestamp));
        }
        if (!deltas.empty()) {
            report.min_interval = *std::min_element(deltas.begin(), deltas.end());
            report.max_interval = *std::max_element(deltas.begin(), deltas.end());
        }
        if (options.frequency) {
            report.frequency = options.frequency;
            report.frequency_given = true;
        } else if (!deltas.empty()) {
            auto sorted = deltas;
            const auto median = sorted.begin() + std::ssize(sorted) / 2;
            std::nth_element(sorted.begin(), median, sorted.end());
            report.frequency = *median;
        }
        if (!report.frequency || *report.frequency <= 0) return;
        const std::int64_t f = *report.frequency;
        for (std::size_t i = 1; i < ticks.size(); ++i) {
            const std::int64_t delta = deltas[i - 1];
            // Timestamps are whole seconds: a tick a little late is not a missing tick.
            if (delta - f >= f && delta - f >= 2) {  // delta >= 2f and >= f + 2, without overflow
                const std::int64_t missing = std::max<std::int64_t>(1, missing_between(delta, f));
                report.gaps.add(
                    {ticks[i - 1].timestamp, ticks[i].timestamp, ticks[i].line, missing},
                    options.max_examples);
                report.missing_ticks = core::saturating_add(report.missing_ticks, missing);
            }
        }
    }

    void finish_coverage() {
        std::uint64_t expected = 0;
        for (const auto& t : ticks) expected |= t.mask;
        for (const auto& t : ticks) {
            if (t.mask == expected) continue;
            IncompleteTick incomplete{t.timestamp, t.line, {}};
            for (std::size_t i = 0; i < report.subsystems.size() && i < kMaxTrackedSubsystems;
                 ++i) {
                std::uint64_t bit = std::uint64_t{1} << i;
                if ((expected & bit) && !(t.mask & bit)) {
                    incomplete.missing.push_back(report.subsystems[i].subsystem);
                }
            }
            report.incomplete_ticks.add(std::move(incomplete), options.max_examples);
        }
        report.kind = any_host && any_container ? "mixed"
                      : any_container           ? "container"
                      : any_host                ? "host"
                                                : "empty";
    }
};

CollectionValidator::CollectionValidator(ValidateOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = options;
}

CollectionValidator::~CollectionValidator() = default;

void CollectionValidator::add(const record::ReadItem& item) {
    impl_->add(item);
}

ValidationReport CollectionValidator::finish(std::uint64_t bytes_read) {
    impl_->flush();
    impl_->finish_timing();
    impl_->finish_coverage();
    impl_->report.bytes = bytes_read;
    return std::move(impl_->report);
}

ValidationReport validate_collection(const std::string& path, const ValidateOptions& options) {
    record::CollectionReader reader(path);
    CollectionValidator validator(options);
    record::ReadItem item;
    while (reader.next(item)) validator.add(item);
    auto report = validator.finish(reader.bytes_read());
    report.path = path;
    return report;
}

}  // namespace pc::validate
