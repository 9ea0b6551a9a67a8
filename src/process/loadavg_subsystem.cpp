#include "sar_subsystems.hpp"

namespace pc::process {

LoadavgSubsystem::LoadavgSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/loadavg", "#timestamp,runq-sz,plist-sz,ldavg-1,ldavg-5,ldavg-15") {}

procfs::ParseStatus LoadavgSubsystem::parse(std::string_view text) {
    return procfs::parse_loadavg(text, cur_);
}

void LoadavgSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    row_start(out, record.ts);
    append_uint(out, cur_.runnable);
    uint_cell(out, cur_.entities);
    float_cell(out, ctx_.mode, cur_.load1);
    float_cell(out, ctx_.mode, cur_.load5);
    float_cell(out, ctx_.mode, cur_.load15);
    out += '\n';
}

}  // namespace pc::process
