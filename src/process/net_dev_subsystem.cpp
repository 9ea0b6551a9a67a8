#include "pc/core/error.hpp"
#include "sar_subsystems.hpp"

namespace pc::process {

namespace {

using N = procfs::NetDevice;

// The counters a row uses: any of them going backwards makes the row meaningless.
constexpr N::Field kUsed[] = {N::rx_bytes,      N::rx_packets,    N::tx_bytes,    N::tx_packets,
                              N::rx_compressed, N::tx_compressed, N::rx_multicast};

bool any_backwards(const N& b, const N& c) {
    for (N::Field f : kUsed) {
        if (c[f] < b[f]) return true;
    }
    return false;
}

}  // namespace

NetDevSubsystem::NetDevSubsystem(Context& ctx)
    : Subsystem(ctx, "proc/net/dev",
                "#timestamp,IFACE,rxpck/s,txpck/s,rxkB/s,txkB/s,rxcmp/s,txcmp/s,rxmcst/s,%ifutil") {
}

procfs::ParseStatus NetDevSubsystem::parse(std::string_view text) {
    // The original stops on any bad line; default mode loses only that interface's row.
    if (compat() || ctx_.strict) return procfs::parse_net_dev(text, cur_);
    return procfs::parse_net_dev(text, cur_, &ctx_.events->bad_net_dev_lines);
}

void NetDevSubsystem::write_row(std::string& out, std::int64_t ts, const N& b, const N& c,
                                double itv) {
    row_start(out, ts);
    append_name(out, ctx_.mode, b.name);
    float_cell(out, ctx_.mode, rate(b[N::rx_packets], c[N::rx_packets], itv));
    float_cell(out, ctx_.mode, rate(b[N::tx_packets], c[N::tx_packets], itv));
    float_cell(out, ctx_.mode, rate(b[N::rx_bytes], c[N::rx_bytes], itv) / 1024);
    float_cell(out, ctx_.mode, rate(b[N::tx_bytes], c[N::tx_bytes], itv) / 1024);
    float_cell(out, ctx_.mode, rate(b[N::rx_compressed], c[N::rx_compressed], itv));
    float_cell(out, ctx_.mode, rate(b[N::tx_compressed], c[N::tx_compressed], itv));
    float_cell(out, ctx_.mode, rate(b[N::rx_multicast], c[N::rx_multicast], itv));
    out += compat() ? ",0\n" : ",0.00\n";  // %ifutil: no link speed in the collection
}

void NetDevSubsystem::write_rows(const RecordInfo& record, std::string& out) {
    const double itv = interval();
    if (compat()) {
        // The original pairs by name but insists on the same set; rows in baseline order.
        if (base_.size() != cur_.size()) {
            throw core::UserError(
                "line " + std::to_string(record.line) + ": /proc/net/dev has " +
                std::to_string(cur_.size()) + " interfaces where the previous sample had " +
                std::to_string(base_.size()) +
                "; perfcollector2 stops here (invalid length); run without --compat "
                "to handle interfaces that appear or vanish");
        }
        for (std::size_t i = 0; i < base_.size(); ++i) {
            const N* c = find_named(cur_, base_[i].name, i);
            if (!c) {
                throw core::UserError(
                    "line " + std::to_string(record.line) + ": interface " + base_[i].name +
                    " vanished from /proc/net/dev; perfcollector2 stops here (current "
                    "interface not found); run without --compat to handle it");
            }
            write_row(out, record.ts, base_[i], *c, itv);
        }
        return;
    }
    Events& ev = *ctx_.events;
    if (rebooted_since_baseline()) {
        ++ev.reboots;
        return;
    }
    for (std::size_t i = 0; i < cur_.size(); ++i) {
        const N* b = find_named(base_, cur_[i].name, i);
        if (!b) {
            ++ev.appeared;
        } else if (any_backwards(*b, cur_[i])) {
            ++ev.counter_resets;
        } else {
            write_row(out, record.ts, *b, cur_[i], itv);
        }
    }
    for (std::size_t i = 0; i < base_.size(); ++i) {
        if (!find_named(cur_, base_[i].name, i)) ++ev.vanished;
    }
}

}  // namespace pc::process
