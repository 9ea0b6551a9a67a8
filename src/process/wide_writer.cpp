#include "wide_writer.hpp"

#include <spdlog/spdlog.h>

#include "csv_field.hpp"
#include "pc/process/cpu_share.hpp"
#include "pc/process/fixed_number.hpp"
#include "pc/process/go_float.hpp"

namespace pc::process {

namespace {

std::string csv_cell(const std::string& s) {
    std::string out;
    append_csv_field(out, s);
    return out;
}

template <class T>
std::size_t find_column(const std::vector<T>& cols, const std::string& name, std::size_t hint) {
    if (hint < cols.size() && cols[hint].name == name) return hint;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].name == name) return i;
    }
    return cols.size();
}

}  // namespace

WideWriter::WideWriter(OutputTree& tree, std::string machine_id, Mode mode)
    : tree_(tree), mode_(mode), machine_cell_(csv_cell(machine_id)) {}

bool WideWriter::enter(std::int64_t ts, Kind kind) {
    if (in_tick_ && ts < tick_ts_) return false;  // an older record: the tick is gone
    if (!in_tick_ || ts > tick_ts_) {
        if (in_tick_) end_tick();
        in_tick_ = true;
        tick_ts_ = ts;
        seen_ = 0;
        tick_has_cpu_ = tick_has_mem_ = false;
        for (auto& c : disks_) c.present = false;
        for (auto& c : nets_) c.present = false;
    }
    if (seen_ & kind) return false;  // the same subsystem twice in one tick: keep the first
    seen_ |= kind;
    return true;
}

void WideWriter::on_stat(std::int64_t ts, const procfs::StatSample& s) {
    if (!enter(ts, kStat) || !s.has_total) return;
    tick_has_cpu_ = true;
    tick_cpu_ = s.total;
    tick_btime_ = s.has_btime ? s.btime : 0;
}

void WideWriter::on_meminfo(std::int64_t ts, const procfs::MemInfo& m) {
    if (!enter(ts, kMem)) return;
    tick_has_mem_ = true;
    mem_total_ = m.mem_total;
    mem_free_ = m.mem_free;
    mem_available_ = m.mem_available;
}

void WideWriter::on_diskstats(std::int64_t ts, const std::vector<procfs::DiskDevice>& d) {
    if (!enter(ts, kDisk)) return;
    if (!disks_fixed_) {
        for (const auto& dev : d) disks_.push_back({dev.name, {}, false});
        disks_fixed_ = true;
    }
    using D = procfs::DiskDevice;
    for (std::size_t i = 0; i < d.size(); ++i) {
        std::size_t k = find_column(disks_, d[i].name, i);
        if (k == disks_.size()) {
            if (late_names_.insert("disk " + d[i].name).second) {
                spdlog::warn(
                    "perf.csv: disk {} appeared after the columns were fixed; not included",
                    d[i].name);
            }
            continue;
        }
        disks_[k].values = {d[i][D::rd_ios], d[i][D::wr_ios], d[i][D::rd_sectors] * 512,
                            d[i][D::wr_sectors] * 512};
        disks_[k].present = true;
    }
}

void WideWriter::on_net_dev(std::int64_t ts, const std::vector<procfs::NetDevice>& n) {
    if (!enter(ts, kNet)) return;
    if (!nets_fixed_) {
        for (const auto& dev : n) nets_.push_back({dev.name, {}, false});
        nets_fixed_ = true;
    }
    using N = procfs::NetDevice;
    for (std::size_t i = 0; i < n.size(); ++i) {
        std::size_t k = find_column(nets_, n[i].name, i);
        if (k == nets_.size()) {
            if (late_names_.insert("interface " + n[i].name).second) {
                spdlog::warn(
                    "perf.csv: interface {} appeared after the columns were fixed; not included",
                    n[i].name);
            }
            continue;
        }
        nets_[k].values = {n[i][N::rx_bytes], n[i][N::tx_bytes], n[i][N::rx_packets],
                           n[i][N::tx_packets]};
        nets_[k].present = true;
    }
}

void WideWriter::write_header() {
    file_ = &tree_.file("perf.csv");
    std::string& out = file_->buffer();
    out +=
        "timestamp,machine_id,cpu_user,cpu_system,cpu_idle,cpu_iowait,mem_total,mem_free,"
        "mem_available";
    // Names are the kernel's: an interface may be called "a,b" (RFC 4180 quoting keeps the
    // header's column count that of the rows).
    for (const auto& c : disks_) {
        for (const char* f : {"reads", "writes", "read_bytes", "write_bytes"}) {
            out += ',';
            append_csv_field(out, "disk_" + c.name + "_" + f);
        }
    }
    for (const auto& c : nets_) {
        for (const char* f : {"rx_bytes", "tx_bytes", "rx_packets", "tx_packets"}) {
            out += ',';
            append_csv_field(out, "net_" + c.name + "_" + f);
        }
    }
    out += '\n';
    header_written_ = true;
    disks_fixed_ = nets_fixed_ = true;
}

void WideWriter::end_tick() {
    ++ticks_;
    bool have_cpu = false;
    CpuShares shares;
    if (tick_has_cpu_) {
        bool same_boot = prev_btime_ == 0 || tick_btime_ == 0 || prev_btime_ == tick_btime_;
        if (prev_cpu_valid_ && same_boot && !went_backwards(prev_cpu_, tick_cpu_)) {
            shares = mode_ == Mode::compat ? cpu_shares(prev_cpu_, tick_cpu_)
                                           : sar_cpu_shares(prev_cpu_, tick_cpu_);
            have_cpu = true;
        }
        prev_cpu_ = tick_cpu_;
        prev_btime_ = tick_btime_;
        prev_cpu_valid_ = true;
    }
    if (ticks_ == 1) return;  // the first tick only opens the first CPU interval
    if (!header_written_) write_header();
    std::string& out = file_->buffer();
    append_int(out, tick_ts_);
    out += ',';
    out += machine_cell_;
    for (double v : {shares.user, shares.system, shares.idle, shares.iowait}) {
        out += ',';
        if (!have_cpu) continue;
        if (mode_ == Mode::compat) {
            append_go_float(out, v);
        } else {
            append_fixed2(out, v);
        }
    }
    for (std::uint64_t kb : {mem_total_, mem_free_, mem_available_}) {
        out += ',';
        if (tick_has_mem_) append_uint(out, kb * 1024);
    }
    for (const auto* cols : {&disks_, &nets_}) {
        for (const auto& c : *cols) {
            for (std::uint64_t v : c.values) {
                out += ',';
                if (c.present) append_uint(out, v);
            }
        }
    }
    out += '\n';
    file_->maybe_flush();
}

void WideWriter::finish() {
    if (in_tick_) end_tick();
    in_tick_ = false;
    if (!header_written_ && ticks_ > 0) write_header();
}

}  // namespace pc::process
