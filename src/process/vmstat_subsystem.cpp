#include "sar_subsystems.hpp"

namespace pc::process {

namespace {

bool any_backwards(const procfs::VmStat& b, const procfs::VmStat& c) {
    return c.pgpgin < b.pgpgin || c.pgpgout < b.pgpgout || c.pgfault < b.pgfault ||
           c.pgmajfault < b.pgmajfault || c.pgfree < b.pgfree ||
           c.pgscan_kswapd < b.pgscan_kswapd || c.pgscan_direct < b.pgscan_direct ||
           c.pgsteal < b.pgsteal;
}

}  // namespace

VmstatSubsystem::VmstatSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/vmstat",
                "#timestamp,pgpgin/s,pgpgout/s,fault/s,majflt/s,pgfree/s,pgscank/s,pgscand/s,"
                "pgsteal/s,%vmeff") {}

procfs::ParseStatus VmstatSubsystem::parse(std::string_view text) {
    return procfs::parse_vmstat(text, cur_);
}

void VmstatSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    const procfs::VmStat& b = base_;
    const procfs::VmStat& c = cur_;
    if (!compat()) {
        if (rebooted_since_baseline()) {
            ++ctx_.events->reboots;
            return;
        }
        if (any_backwards(b, c)) {
            ++ctx_.events->counter_resets;
            return;
        }
    }
    const double itv = interval();
    row_start(out, record.ts);
    append_number(out, ctx_.mode, rate(b.pgpgin, c.pgpgin, itv));
    float_cell(out, ctx_.mode, rate(b.pgpgout, c.pgpgout, itv));
    float_cell(out, ctx_.mode, rate(b.pgfault, c.pgfault, itv));
    float_cell(out, ctx_.mode, rate(b.pgmajfault, c.pgmajfault, itv));
    float_cell(out, ctx_.mode, rate(b.pgfree, c.pgfree, itv));
    float_cell(out, ctx_.mode, rate(b.pgscan_kswapd, c.pgscan_kswapd, itv));
    float_cell(out, ctx_.mode, rate(b.pgscan_direct, c.pgscan_direct, itv));
    float_cell(out, ctx_.mode, rate(b.pgsteal, c.pgsteal, itv));
    // sar's %vmeff: pages stolen per page scanned, 0 when nothing was scanned.
    double scanned = (static_cast<double>(c.pgscan_kswapd) - static_cast<double>(b.pgscan_kswapd)) +
                     (static_cast<double>(c.pgscan_direct) - static_cast<double>(b.pgscan_direct));
    double stolen = static_cast<double>(c.pgsteal) - static_cast<double>(b.pgsteal);
    float_cell(out, ctx_.mode, scanned > 0 ? stolen / scanned * 100 : 0.0);
    out += '\n';
}

}  // namespace pc::process
