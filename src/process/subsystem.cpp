#include "subsystem.hpp"

namespace pc::process {

Stamp stamp_at(const Clock& clock, std::int64_t ts) {
    Stamp s;
    s.ts = ts;
    s.btime = clock.btime;
    if (clock.uptime_ts == ts) {
        s.has_uptime = true;
        s.uptime_cs = clock.uptime_cs;
    }
    return s;
}

double interval_centis(Mode mode, const Stamp& base, const Stamp& cur) {
    if (mode == Mode::standard && base.has_uptime && cur.has_uptime &&
        cur.uptime_cs > base.uptime_cs && !rebooted(base, cur)) {
        return static_cast<double>(cur.uptime_cs - base.uptime_cs);
    }
    return static_cast<double>((cur.ts - base.ts) * 100);
}

Subsystem::Subsystem(Context& ctx, std::string output, std::string header)
    : ctx_(ctx), output_(std::move(output)), header_(std::move(header)) {}

void Subsystem::process(const RecordInfo& record) {
    if (!compat() && records_ > 0 && record.ts <= last_ts_) {
        ++ctx_.events->repeated_timestamps;
        return;
    }
    ++records_;
    last_ts_ = record.ts;
    on_accepted(record);
    cur_stamp_ = stamp_at(ctx_.clock, record.ts);
    if (records_ == 1) {
        keep_current();
        base_stamp_ = cur_stamp_;
        return;
    }
    if (ctx_.tree && !file_) {
        file_ = &ctx_.tree->file(output_);
        file_->buffer() += header_;
        if (!compat()) file_->buffer() += standard_extra_;
        file_->buffer() += '\n';
    }
    if (compat() && records_ == 2) return;
    if (file_) {
        std::string& buffer = file_->buffer();
        const std::size_t start = buffer.size();
        write_rows(record, buffer);
        if (ctx_.rows) ctx_.rows(output_, std::string_view(buffer).substr(start));
        file_->maybe_flush();
    } else {
        // Counting only (perf.csv without the sar tree): the rows are formatted and dropped, so
        // the events are exactly those of a run that writes them.
        scratch_.clear();
        write_rows(record, scratch_);
        if (ctx_.rows) ctx_.rows(output_, scratch_);
    }
    keep_current();
    base_stamp_ = cur_stamp_;
}

}  // namespace pc::process
