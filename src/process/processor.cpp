#include "pc/process/processor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "container_table.hpp"
#include "pc/core/error.hpp"
#include "pc/core/version.hpp"
#include "pc/process/output_tree.hpp"
#include "pc/process/sar_rows.hpp"
#include "pc/process/system_info.hpp"
#include "pc/procfs/cpuinfo.hpp"
#include "pc/procfs/uptime.hpp"
#include "pc/record/collection_reader.hpp"
#include "pc/record/subsystem_names.hpp"
#include "sar_subsystems.hpp"
#include "wide_writer.hpp"

namespace pc::process {

namespace {

enum class Kind {
    unknown,
    cpuinfo,
    uptime,
    stat,
    meminfo,
    net_dev,
    diskstats,
    statfs,
    vmstat,
    loadavg,
    container,
    service
};

Kind classify(std::string_view s) {
    if (s == record::subsystem::kStat) return Kind::stat;
    if (s == record::subsystem::kMeminfo) return Kind::meminfo;
    if (s == record::subsystem::kNetDev) return Kind::net_dev;
    if (s == record::subsystem::kDiskstats) return Kind::diskstats;
    if (s == record::subsystem::kStatfs) return Kind::statfs;
    if (s == record::subsystem::kCpuinfo) return Kind::cpuinfo;
    if (s == record::subsystem::kVmstat) return Kind::vmstat;
    if (s == record::subsystem::kLoadavg) return Kind::loadavg;
    if (s == record::subsystem::kUptime) return Kind::uptime;
    if (s.starts_with(record::subsystem::kContainerPrefix)) return Kind::container;
    if (s.starts_with(record::subsystem::kServicePrefix)) return Kind::service;
    return Kind::unknown;
}

// Per-line warnings stop after this many; the summary line still counts all of them.
constexpr std::uint64_t kMaxLineWarnings = 20;

class Run {
public:
    Run(const ProcessOptions& options, record::CollectionReader& reader, ContainerNames names)
        : options_(options),
          reader_(reader),
          names_(std::move(names)),
          tree_(options.outdir),
          stat_(ctx_),
          meminfo_(ctx_),
          net_dev_(ctx_),
          diskstats_(ctx_),
          statfs_(ctx_),
          vmstat_(ctx_),
          loadavg_(ctx_) {
        ctx_.mode = options.mode;
        ctx_.strict = options.strict;
        ctx_.tree = options.formats.sar ? &tree_ : nullptr;
        ctx_.events = &result_.events;
        if (options.formats.html && options.html_report) {
            HtmlReportInfo info;
            info.identifier = options.machine_id.empty() ? machine_id_from_path(options.collection)
                                                         : options.machine_id;
            info.generator =
                core::version_line("pcprocess") +
                (options.mode == Mode::compat ? ", compat mode (charts: default-mode figures)"
                                              : ", default mode");
            html_ = options.html_report(info);
            // Default mode: the report reads the rows these subsystems write rather than
            // computing them again (compat mode's rows are not default mode's: it gets records).
            if (options.mode == Mode::standard) {
                html_rows_ = true;
                ctx_.rows = [this](std::string_view output, std::string_view rows) {
                    html_->add_rows(output, rows);
                };
            }
        }
        if (options.formats.wide) {
            std::string id = options.machine_id.empty() ? machine_id_from_path(options.collection)
                                                        : options.machine_id;
            wide_.emplace(tree_, id, options.mode);
        }
    }

    ProcessResult execute() {
        record::ReadItem item;
        std::uint64_t lines = 0;
        std::uint64_t good_lines = 0;
        while (reader_.next(item)) {
            ++lines;
            if (item.status != record::LineStatus::ok) {
                bad_line(item);
                continue;
            }
            ++good_lines;
            if (html_rows_) {
                html_->add_time(item.record.timestamp);
            } else if (html_) {
                html_->add(item.record);
            }
            handle(item);
        }
        if (wide_) wide_->finish();
        write_table(containers_, "containers.csv", true);
        write_table(services_, "services.csv", false);
        result_.bytes_read = reader_.bytes_read();
        report();
        // Nothing to write is a mistake (a wrong or empty file), not a result.
        if (good_lines == 0) {
            const std::string what =
                lines == 0 ? "is empty"
                           : "has no collection record in its " + std::to_string(lines) +
                                 " line(s) (JSON Lines of {\"timestamp\",\"subsystem\","
                                 "\"measurement\"} expected)";
            throw core::UserError(
                (options_.collection == "-" ? std::string("standard input") : options_.collection) +
                " " + what + "; nothing written");
        }
        if (html_) {
            if (html_rows_) html_->set_facts(run_facts());
            tree_.file("report.html").buffer() += html_->html();
        }
        tree_.commit_all();
        return std::move(result_);
    }

private:
    void problem(std::uint64_t line, const std::string& what, std::uint64_t& counter) {
        ++counter;
        std::string msg = "line " + std::to_string(line) + ": " + what;
        if (options_.strict) {
            throw core::UserError(msg + " (--strict; run without it to skip such lines)");
        }
        if (++line_warnings_ <= kMaxLineWarnings) {
            spdlog::warn("{}; skipped", msg);
            if (line_warnings_ == kMaxLineWarnings) {
                spdlog::warn("further skipped lines are only counted in the summary");
            }
        }
    }

    void bad_line(const record::ReadItem& item) {
        if (item.status == record::LineStatus::truncated) {
            problem(item.line_number, item.error, result_.events.truncated_lines);
        } else {
            problem(item.line_number, "malformed collection line: " + item.error,
                    result_.events.malformed_lines);
        }
    }

    void handle(const record::ReadItem& item) {
        const record::Record& r = item.record;
        Kind kind = classify(r.subsystem);
        Subsystem* sub = nullptr;
        switch (kind) {
            case Kind::unknown:
                ++result_.events.unknown_subsystems[r.subsystem];
                return;
            case Kind::cpuinfo:
                handle_cpuinfo(item);
                return;
            case Kind::uptime:
                handle_uptime(item);
                return;
            case Kind::container:
                handle_cgroup(item, containers_);
                return;
            case Kind::service:
                handle_cgroup(item, services_);
                return;
            case Kind::stat:
                sub = &stat_;
                break;
            case Kind::meminfo:
                sub = &meminfo_;
                break;
            case Kind::net_dev:
                sub = &net_dev_;
                break;
            case Kind::diskstats:
                sub = &diskstats_;
                break;
            case Kind::statfs:
                sub = &statfs_;
                break;
            case Kind::vmstat:
                sub = &vmstat_;
                break;
            case Kind::loadavg:
                sub = &loadavg_;
                break;
        }
        auto status = sub->parse(r.measurement);
        if (!status) {
            problem(item.line_number, r.subsystem + " measurement: " + status.message,
                    result_.events.bad_measurements);
            return;
        }
        ++result_.records;
        if (kind == Kind::meminfo && meminfo_.current().has_mem_total) {
            mem_total_kb_ = meminfo_.current().mem_total;
        }
        if (wide_) {
            switch (kind) {
                case Kind::stat:
                    wide_->on_stat(r.timestamp, stat_.current());
                    break;
                case Kind::meminfo:
                    wide_->on_meminfo(r.timestamp, meminfo_.current());
                    break;
                case Kind::diskstats:
                    wide_->on_diskstats(r.timestamp, diskstats_.current());
                    break;
                case Kind::net_dev:
                    wide_->on_net_dev(r.timestamp, net_dev_.current());
                    break;
                default:
                    break;
            }
        }
        // Without the sar tree, default mode still runs the state machines: they count the
        // repeated timestamps, counter resets and reboots that perf.csv drops or leaves empty.
        // Compat mode counts nothing and would stop on device changes the wide file handles.
        if (options_.formats.sar || options_.mode == Mode::standard) {
            sub->process({r.timestamp, item.line_number});
            if (kind == Kind::stat) cpu_count_ = std::max(cpu_count_, stat_.current().cpus.size());
        }
    }

    void handle_cgroup(const record::ReadItem& item, CgroupTable& table) {
        const record::Record& r = item.record;
        auto status = table.add(r.timestamp, r.subsystem, r.measurement);
        if (!status) {
            problem(item.line_number, r.subsystem + " measurement: " + status.message,
                    result_.events.bad_measurements);
            return;
        }
        ++result_.records;
    }

    // What the report shows besides the rows, as process::SarRows would find it.
    RunFacts run_facts() const {
        RunFacts f;
        f.cpuinfo = cpuinfo_;
        f.mem_total_kb = mem_total_kb_;
        f.cpu_count = cpu_count_;
        f.events = result_.events;
        TableSettings settings;
        settings.mode = Mode::standard;
        settings.names = &names_;
        settings.cpu_count = cpu_count_;
        if (!containers_.empty()) f.containers_csv = containers_.render(settings);
        settings.short_fallback = false;
        if (!services_.empty()) f.services_csv = services_.render(settings);
        return f;
    }

    // Services have no short form: an unnamed one shows its whole unit name.
    void write_table(const CgroupTable& table, const std::string& name, bool short_fallback) {
        if (table.empty()) return;
        TableSettings settings;
        settings.mode = options_.mode;
        settings.names = &names_;
        settings.cpu_count = cpu_count_;
        settings.short_fallback = short_fallback;
        tree_.file(name).buffer() += table.render(settings);
    }

    void handle_cpuinfo(const record::ReadItem& item) {
        if (cpuinfo_done_ || (!options_.formats.sar && !html_rows_)) return;  // the first counts
        procfs::CpuInfoSummary info;
        auto status = procfs::parse_cpuinfo(item.record.measurement, info);
        if (!status) {
            problem(item.line_number, "/proc/cpuinfo measurement: " + status.message,
                    result_.events.bad_measurements);
            return;
        }
        ++result_.records;
        cpuinfo_done_ = true;
        cpu_count_ = std::max(cpu_count_, static_cast<std::size_t>(info.total_cpus));
        if (options_.formats.sar)
            tree_.file("system_info.json").buffer() += render_system_info(info);
        if (html_rows_) cpuinfo_ = std::move(info);
    }

    // Default mode's interval clock: the records of the same tick that follow take their
    // interval from it. Compat mode reads it and ignores it (the original has no such input).
    void handle_uptime(const record::ReadItem& item) {
        procfs::Uptime uptime;
        auto status = procfs::parse_uptime(item.record.measurement, uptime);
        if (!status) {
            problem(item.line_number, "/proc/uptime measurement: " + status.message,
                    result_.events.bad_measurements);
            return;
        }
        ++result_.records;
        ctx_.clock.uptime_ts = item.record.timestamp;
        ctx_.clock.uptime_cs = uptime.uptime_cs;
    }

    void report() {
        const Events& ev = result_.events;
        if (!ev.unknown_subsystems.empty()) {
            spdlog::warn("skipped unknown subsystems: {}", ev.unknown_list());
        }
        std::string summary = ev.summary();
        if (!summary.empty()) spdlog::warn("{}", summary);
    }

    const ProcessOptions& options_;
    record::CollectionReader& reader_;
    ContainerNames names_;
    ProcessResult result_;
    Context ctx_;
    OutputTree tree_;
    StatSubsystem stat_;
    MeminfoSubsystem meminfo_;
    NetDevSubsystem net_dev_;
    DiskstatsSubsystem diskstats_;
    StatfsSubsystem statfs_;
    VmstatSubsystem vmstat_;
    LoadavgSubsystem loadavg_;
    std::optional<WideWriter> wide_;
    std::unique_ptr<HtmlReport> html_;
    bool html_rows_ = false;  // html_ gets the rows of these subsystems (default mode)
    std::optional<procfs::CpuInfoSummary> cpuinfo_;
    std::uint64_t mem_total_kb_ = 0;
    CgroupTable containers_;
    CgroupTable services_;
    std::size_t cpu_count_ = 0;  // the most CPUs the host records showed; 0 when none
    bool cpuinfo_done_ = false;
    std::uint64_t line_warnings_ = 0;
};

}  // namespace

ProcessResult run_process(const ProcessOptions& options) {
    // Open the input first: a missing collection must not create or touch the output directory.
    record::CollectionReader reader(options.collection);
    ContainerNames names;
    if (!options.container_names.empty()) names = load_container_names(options.container_names);
    Run run(options, reader, std::move(names));
    return run.execute();
}

}  // namespace pc::process
