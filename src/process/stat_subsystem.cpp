#include "pc/core/error.hpp"
#include "pc/process/cpu_share.hpp"
#include "sar_subsystems.hpp"

namespace pc::process {

namespace {

void write_cpu_row(std::string& out, Mode mode, std::int64_t ts, std::int64_t cpu,
                   const CpuShares& s) {
    row_start(out, ts);
    append_int(out, cpu);
    for (double v : {s.user, s.nice, s.system, s.iowait, s.steal, s.idle}) {
        float_cell(out, mode, v);
    }
    out += '\n';
}

}  // namespace

StatSubsystem::StatSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/stat", "#timestamp,CPU,%usr,%nice,%system,%iowait,%steal,%idle") {}

procfs::ParseStatus StatSubsystem::parse(std::string_view text) {
    return procfs::parse_stat(text, cur_);
}

void StatSubsystem::on_accepted(const RecordInfo&) {
    if (cur_.has_btime) ctx_.clock.btime = cur_.btime;
}

void StatSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    const std::int64_t ts = record.ts;
    if (compat()) {
        // The original keeps a slot list of length max(N)+1 and requires equal lengths.
        if (base_.cpus.size() != cur_.cpus.size()) {
            throw core::UserError("line " + std::to_string(record.line) + ": /proc/stat has " +
                                  std::to_string(cur_.cpus.size()) +
                                  " CPUs where the previous sample had " +
                                  std::to_string(base_.cpus.size()) +
                                  "; perfcollector2 stops here (invalid CPU length); run without "
                                  "--compat to handle CPUs going on- or offline");
        }
        write_cpu_row(out, ctx_.mode, ts, -1, cpu_shares(base_.total, cur_.total));
        for (std::size_t i = 0; i < cur_.cpus.size(); ++i) {
            write_cpu_row(out, ctx_.mode, ts, static_cast<std::int64_t>(i),
                          cpu_shares(base_.cpus[i], cur_.cpus[i]));
        }
        return;
    }
    Events& ev = *ctx_.events;
    if (rebooted_since_baseline()) {
        ++ev.reboots;
        return;
    }
    if (base_.has_total && cur_.has_total) {
        if (went_backwards(base_.total, cur_.total)) {
            ++ev.counter_resets;
        } else {
            write_cpu_row(out, ctx_.mode, ts, -1, sar_cpu_shares(base_.total, cur_.total));
        }
    }
    // CPUs are matched by number: one that comes online starts a baseline, one that goes
    // offline is simply absent.
    for (std::size_t i = 0; i < cur_.cpus.size(); ++i) {
        if (!cur_.present[i]) continue;
        if (i >= base_.cpus.size() || !base_.present[i]) {
            ++ev.appeared;
            continue;
        }
        if (went_backwards(base_.cpus[i], cur_.cpus[i])) {
            ++ev.counter_resets;
            continue;
        }
        write_cpu_row(out, ctx_.mode, ts, static_cast<std::int64_t>(i),
                      sar_cpu_shares(base_.cpus[i], cur_.cpus[i]));
    }
    for (std::size_t i = 0; i < base_.cpus.size(); ++i) {
        if (base_.present[i] && (i >= cur_.cpus.size() || !cur_.present[i])) ++ev.vanished;
    }
}

}  // namespace pc::process
