// Private to the process module: the per-subsystem state machine shared by every sar output,
// and the tick clock that gives default mode its /proc/uptime intervals.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "csv_field.hpp"
#include "pc/process/events.hpp"
#include "pc/process/fixed_number.hpp"
#include "pc/process/go_float.hpp"
#include "pc/process/options.hpp"
#include "pc/process/output_tree.hpp"
#include "pc/procfs/parse_status.hpp"

namespace pc::process {

struct RecordInfo {
    std::int64_t ts = 0;
    std::uint64_t line = 0;  // line number in the collection, for messages
};

// The latest /proc/uptime accepted (default mode) and the latest boot time from /proc/stat.
struct Clock {
    std::int64_t uptime_ts = std::numeric_limits<std::int64_t>::min();
    std::uint64_t uptime_cs = 0;  // /proc/uptime's first field in 1/100 s
    std::uint64_t btime = 0;      // latest known boot time, 0 when never seen
};

// What a subsystem remembers about the moment it took a sample.
struct Stamp {
    std::int64_t ts = 0;
    bool has_uptime = false;  // a /proc/uptime with the same timestamp came first
    std::uint64_t uptime_cs = 0;
    std::uint64_t btime = 0;
};

Stamp stamp_at(const Clock& clock, std::int64_t ts);
// Interval in 1/100 s. compat: (ts_c - ts_b) * 100 from the whole-second timestamps.
// standard: Δuptime when both samples have a /proc/uptime of their own tick and it grew (what
// sar uses), else the timestamps. Never CPU jiffies: under I/O wait they run slow on VMs.
double interval_centis(Mode mode, const Stamp& base, const Stamp& cur);
// Both boot times known and different.
inline bool rebooted(const Stamp& base, const Stamp& cur) {
    return base.btime != 0 && cur.btime != 0 && base.btime != cur.btime;
}

// sysstat's S_VALUE: (b - a) / itv * 100 with the counters converted to double first.
inline double rate(std::uint64_t a, std::uint64_t b, double itv) {
    return (static_cast<double>(b) - static_cast<double>(a)) / itv * 100;
}

struct Context {
    Mode mode = Mode::standard;
    bool strict = false;         // --strict: a partly unparsable measurement is fatal too
    OutputTree* tree = nullptr;  // null when the sar tree is not written: events only
    Events* events = nullptr;
    Clock clock;
    // Also given every record's rows (output name, rows) when set: process::SarRows.
    std::function<void(std::string_view, std::string_view)> rows;
};

// One sar output file fed by one subsystem.
//   compat:   record 1 = baseline; record 2 = header only (baseline kept); record k >= 3 = rows
//             against the baseline, then it becomes the baseline.
//   standard: records not newer than the last accepted one are skipped; record 1 = baseline;
//             record k >= 2 = header (once) and rows against the baseline.
class Subsystem {
public:
    Subsystem(Context& ctx, std::string output, std::string header);
    virtual ~Subsystem() = default;
    Subsystem(const Subsystem&) = delete;
    Subsystem& operator=(const Subsystem&) = delete;

    // Parses a measurement into the current sample.
    virtual procfs::ParseStatus parse(std::string_view text) = 0;
    // Advances the state machine with the sample parse() just filled.
    void process(const RecordInfo& record);

protected:
    // Called once a record is accepted, before its stamp is taken.
    virtual void on_accepted(const RecordInfo&) {}
    // Appends the rows comparing the baseline with the current sample.
    virtual void write_rows(const RecordInfo& record, std::string& out) = 0;
    // The current sample becomes the baseline (a swap: buffers are reused).
    virtual void keep_current() = 0;

    bool compat() const { return ctx_.mode == Mode::compat; }
    // Columns default mode appends to the original's header (",aqu-sz,..."); set by the
    // constructor of a subsystem that has them.
    void set_standard_extra_columns(std::string columns) { standard_extra_ = std::move(columns); }
    double interval() const { return interval_centis(ctx_.mode, base_stamp_, cur_stamp_); }
    bool rebooted_since_baseline() const { return rebooted(base_stamp_, cur_stamp_); }

    Context& ctx_;
    Stamp base_stamp_;
    Stamp cur_stamp_;

private:
    std::string output_;
    std::string header_;
    std::string standard_extra_;
    AtomicOutputFile* file_ = nullptr;
    std::string scratch_;  // rows of a counting-only run
    std::uint64_t records_ = 0;
    std::int64_t last_ts_ = 0;
};

template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name, std::size_t hint) {
    if (hint < items.size() && items[hint].name == name) return &items[hint];
    for (const auto& item : items) {
        if (item.name == name) return &item;
    }
    return nullptr;
}

// "ts," and ",<number>" cells of a CSV row: numbers in Go %v in compat mode (the original's
// bytes), with two decimals as sar prints them in default mode.
inline void row_start(std::string& out, std::int64_t ts) {
    append_int(out, ts);
    out += ',';
}
inline void append_number(std::string& out, Mode mode, double v) {
    if (mode == Mode::compat) {
        append_go_float(out, v);
    } else {
        append_fixed2(out, v);
    }
}
inline void float_cell(std::string& out, Mode mode, double v) {
    out += ',';
    append_number(out, mode, v);
}
// A device, interface or mount name: verbatim in compat mode (the original does not quote),
// an RFC 4180 field in default mode.
inline void append_name(std::string& out, Mode mode, std::string_view name) {
    if (mode == Mode::compat) {
        out += name;
    } else {
        append_csv_field(out, name);
    }
}
inline void uint_cell(std::string& out, std::uint64_t v) {
    out += ',';
    append_uint(out, v);
}

}  // namespace pc::process
