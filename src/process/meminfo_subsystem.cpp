#include <algorithm>

#include "sar_subsystems.hpp"

namespace pc::process {

MeminfoSubsystem::MeminfoSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/meminfo",
                "#timestamp,kbmemfree,kbavail,kbmemused,%memused,kbbuffers,kbcached,kbcommit,"
                "%commit,kbactive,kbinact,kbdirty") {}

procfs::ParseStatus MeminfoSubsystem::parse(std::string_view text) {
    return procfs::parse_meminfo(text, cur_);
}

void MeminfoSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    const procfs::MemInfo& m = cur_;
    // sysstat 11.7.4-12.7.7's definition, in integer arithmetic.
    std::uint64_t used =
        m.mem_total - std::min(m.mem_total, m.mem_free + m.buffers + m.cached + m.slab);
    std::uint64_t commit_base = m.mem_total + m.swap_total;
    double memused_pct = static_cast<double>(used) / static_cast<double>(m.mem_total) * 100;
    double commit_pct =
        static_cast<double>(m.committed_as) / static_cast<double>(commit_base) * 100;
    if (!compat()) {
        // A zero total would print NaN or +Inf; there is nothing to be a share of.
        if (m.mem_total == 0) memused_pct = 0;
        if (commit_base == 0) commit_pct = 0;
    }
    row_start(out, record.ts);
    append_uint(out, m.mem_free);
    uint_cell(out, m.mem_available);
    uint_cell(out, used);
    float_cell(out, ctx_.mode, memused_pct);
    uint_cell(out, m.buffers);
    uint_cell(out, m.cached);
    uint_cell(out, m.committed_as);
    float_cell(out, ctx_.mode, commit_pct);
    uint_cell(out, m.active);
    uint_cell(out, m.inactive);
    uint_cell(out, m.dirty);
    out += '\n';
}

}  // namespace pc::process
