#include <cmath>
#include <limits>

#include "sar_subsystems.hpp"

namespace pc::process {

namespace {

// Go's int64(math.Round(x)) on amd64: out-of-range and NaN give the "integer indefinite" value.
std::int64_t go_round_to_int64(double x) {
    double r = std::round(x);
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
        return std::numeric_limits<std::int64_t>::min();
    }
    return static_cast<std::int64_t>(r);
}

}  // namespace

StatfsSubsystem::StatfsSubsystem(Context& ctx)
    : Subsystem(ctx, "statfs_ALL", "#timestamp,mount,blocksize,blockstotal,blocksavail,use") {}

procfs::ParseStatus StatfsSubsystem::parse(std::string_view text) {
    return procfs::parse_statfs(text, cur_);
}

void StatfsSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    for (const procfs::FsStat& fs : cur_) {
        // sar's %ufsused, rounded half away from zero (unsigned subtraction as in the original).
        std::int64_t use =
            go_round_to_int64(static_cast<double>(fs.blocks_total - fs.blocks_available) /
                              static_cast<double>(fs.blocks_total) * 100);
        if (!compat()) {
            // An empty filesystem, or more available than total: nothing used, not garbage.
            if (fs.blocks_total == 0 || fs.blocks_available > fs.blocks_total) use = 0;
        }
        row_start(out, record.ts);
        append_name(out, ctx_.mode, fs.mount_point);
        uint_cell(out, fs.block_size);
        uint_cell(out, fs.blocks_total);
        uint_cell(out, fs.blocks_available);
        out += ',';
        append_int(out, use);
        out += '\n';
    }
}

}  // namespace pc::process
