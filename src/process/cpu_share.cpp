#include "pc/process/cpu_share.hpp"

#include <cmath>

namespace pc::process {

namespace {

using F = procfs::CpuJiffies;

struct Seconds {
    double user, nice, system, idle, iowait, irq, softirq, steal;
};

Seconds to_seconds(const F& j) {
    // USER_HZ is 100 on every Linux ABI; the original divides right after parsing.
    auto s = [&](F::Field f) { return static_cast<double>(j[f]) / 100; };
    return {s(F::user),   s(F::nice), s(F::system),  s(F::idle),
            s(F::iowait), s(F::irq),  s(F::softirq), s(F::steal)};
}

double busy(const Seconds& s) {
    return ((((((s.user + s.system) + s.nice) + s.iowait) + s.irq) + s.softirq) + s.steal);
}

// Go's math.Min(100, math.Max(0, x)): NaN propagates, -0 becomes +0.
double clamp(double x) {
    if (std::isnan(x)) return x;
    if (x <= 0) return 0.0;
    if (x > 100) return 100.0;
    return x;
}

}  // namespace

CpuShares cpu_shares(const F& prev, const F& cur) {
    Seconds p = to_seconds(prev);
    Seconds c = to_seconds(cur);
    double busy_p = busy(p), busy_c = busy(c);
    double all_p = busy_p + p.idle, all_c = busy_c + c.idle;
    CpuShares r;
    if (busy_c <= busy_p) {
        r.idle = 100;
        return r;
    }
    if (all_c <= all_p) {
        r.user = r.nice = r.system = r.iowait = r.steal = 100;
        r.idle = 0;
        return r;
    }
    double d = all_c - all_p;
    r.user = clamp((c.user - p.user) / d * 100);
    r.nice = clamp((c.nice - p.nice) / d * 100);
    r.system = clamp((c.system - p.system) / d * 100);
    r.iowait = clamp((c.iowait - p.iowait) / d * 100);
    r.steal = clamp((c.steal - p.steal) / d * 100);
    r.idle = 100 - clamp((busy_c - busy_p) / d * 100);
    return r;
}

CpuShares sar_cpu_shares(const F& prev, const F& cur) {
    auto delta = [&](F::Field f) { return cur[f] - prev[f]; };
    const std::uint64_t total = delta(F::user) + delta(F::nice) + delta(F::system) +
                                delta(F::idle) + delta(F::iowait) + delta(F::irq) +
                                delta(F::softirq) + delta(F::steal);
    CpuShares r;
    if (total == 0) {
        r.idle = 100;
        return r;
    }
    const double d = static_cast<double>(total);
    auto share = [&](std::uint64_t v) { return static_cast<double>(v) / d * 100; };
    r.user = share(delta(F::user));
    r.nice = share(delta(F::nice));
    r.system = share(delta(F::system) + delta(F::irq) + delta(F::softirq));
    r.iowait = share(delta(F::iowait));
    r.steal = share(delta(F::steal));
    r.idle = share(delta(F::idle));
    return r;
}

bool went_backwards(const F& prev, const F& cur) {
    for (std::size_t i = 0; i < F::count; ++i) {
        if (cur.v[i] < prev.v[i]) return true;
    }
    return false;
}

}  // namespace pc::process
