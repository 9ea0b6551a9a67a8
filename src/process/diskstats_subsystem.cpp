#include "pc/core/error.hpp"
#include "sar_subsystems.hpp"

namespace pc::process {

namespace {

using D = procfs::DiskDevice;

// The counters default mode's rows use (sar -d's extended columns need the time counters).
constexpr D::Field kUsed[] = {D::rd_ios,     D::wr_ios,     D::dc_ios,        D::rd_sectors,
                              D::wr_sectors, D::dc_sectors, D::rd_ticks,      D::wr_ticks,
                              D::dc_ticks,   D::io_ticks,   D::weighted_ticks};

bool any_backwards(const D& b, const D& c) {
    for (D::Field f : kUsed) {
        if (c[f] < b[f]) return true;
    }
    return false;
}

std::uint64_t transfers(const D& d) {
    return d[D::rd_ios] + d[D::wr_ios] + d[D::dc_ios];
}

std::uint64_t sectors(const D& d) {
    return d[D::rd_sectors] + d[D::wr_sectors] + d[D::dc_sectors];
}

std::uint64_t io_time(const D& d) {
    return d[D::rd_ticks] + d[D::wr_ticks] + d[D::dc_ticks];
}

// sar -d's extended columns (sysstat 12: compute_ext_disk_stats and print_disk_stats), itv in
// 1/100 s: aqu-sz = S(weighted ticks) / 1000; areq-sz = Δsectors / Δios / 2 (kB); await =
// Δ(rd + wr + dc ticks) / Δios (ms); %util = S(io_ticks) / 10. Without I/O: 0.
void append_extended(std::string& out, const D& b, const D& c, double itv) {
    const std::uint64_t ios = transfers(c) - transfers(b);
    const double n = static_cast<double>(ios);
    float_cell(out, Mode::standard, rate(b[D::weighted_ticks], c[D::weighted_ticks], itv) / 1000.0);
    float_cell(out, Mode::standard,
               ios ? static_cast<double>(sectors(c) - sectors(b)) / n / 2 : 0.0);
    float_cell(out, Mode::standard, ios ? static_cast<double>(io_time(c) - io_time(b)) / n : 0.0);
    float_cell(out, Mode::standard, rate(b[D::io_ticks], c[D::io_ticks], itv) / 10.0);
}

}  // namespace

DiskstatsSubsystem::DiskstatsSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/diskstats",
                "#timestamp,DEV,tps,rtps,wtps,dtps,bread/s,bwrtn/s,bdscd/s") {
    set_standard_extra_columns(",aqu-sz,areq-sz,await,%util");
}

procfs::ParseStatus DiskstatsSubsystem::parse(std::string_view text) {
    return procfs::parse_diskstats(text, cur_);
}

void DiskstatsSubsystem::write_row(std::string& out, std::int64_t ts, const std::string& name,
                                   const D& b, const D& c, double itv) {
    row_start(out, ts);
    append_name(out, ctx_.mode, name);
    float_cell(out, ctx_.mode, rate(transfers(b), transfers(c), itv));
    float_cell(out, ctx_.mode, rate(b[D::rd_ios], c[D::rd_ios], itv));
    float_cell(out, ctx_.mode, rate(b[D::wr_ios], c[D::wr_ios], itv));
    float_cell(out, ctx_.mode, rate(b[D::dc_ios], c[D::dc_ios], itv));
    float_cell(out, ctx_.mode, rate(b[D::rd_sectors], c[D::rd_sectors], itv));
    float_cell(out, ctx_.mode, rate(b[D::wr_sectors], c[D::wr_sectors], itv));
    float_cell(out, ctx_.mode, rate(b[D::dc_sectors], c[D::dc_sectors], itv));
    if (!compat()) append_extended(out, b, c, itv);
    out += '\n';
}

void DiskstatsSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    const double itv = interval();
    if (compat()) {
        // The original pairs devices by position, names from the baseline, and skips devices
        // never used in the baseline.
        if (base_.size() != cur_.size()) {
            throw core::UserError(
                "line " + std::to_string(record.line) + ": /proc/diskstats has " +
                std::to_string(cur_.size()) + " devices where the previous sample had " +
                std::to_string(base_.size()) +
                "; perfcollector2 stops here; run without --compat to handle devices "
                "that appear or vanish");
        }
        for (std::size_t i = 0; i < base_.size(); ++i) {
            if (base_[i].unused()) continue;
            write_row(out, record.ts, base_[i].name, base_[i], cur_[i], itv);
        }
        return;
    }
    Events& ev = *ctx_.events;
    if (rebooted_since_baseline()) {
        ++ev.reboots;
        return;
    }
    for (std::size_t i = 0; i < cur_.size(); ++i) {
        const D& c = cur_[i];
        const D* b = find_named(base_, c.name, i);
        if (!b) {
            ++ev.appeared;
        } else if (any_backwards(*b, c)) {
            ++ev.counter_resets;
        } else if (!c.unused()) {  // as sar: never-used devices are not reported
            write_row(out, record.ts, c.name, *b, c, itv);
        }
    }
    for (std::size_t i = 0; i < base_.size(); ++i) {
        if (!find_named(cur_, base_[i].name, i)) ++ev.vanished;
    }
}

}  // namespace pc::process
