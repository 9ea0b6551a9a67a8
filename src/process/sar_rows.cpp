#include "pc/process/sar_rows.hpp"

#include <algorithm>

#include "container_table.hpp"
#include "pc/procfs/uptime.hpp"
#include "pc/record/subsystem_names.hpp"
#include "sar_subsystems.hpp"

namespace pc::process {

struct SarRows::State {
    explicit State(Sink sink)
        : stat(ctx),
          meminfo(ctx),
          net_dev(ctx),
          diskstats(ctx),
          statfs(ctx),
          vmstat(ctx),
          loadavg(ctx) {
        ctx.mode = Mode::standard;
        ctx.events = &events;
        ctx.rows = std::move(sink);
    }

    Events events;
    Context ctx;
    StatSubsystem stat;
    MeminfoSubsystem meminfo;
    NetDevSubsystem net_dev;
    DiskstatsSubsystem diskstats;
    StatfsSubsystem statfs;
    VmstatSubsystem vmstat;
    LoadavgSubsystem loadavg;
    CgroupTable containers;
    CgroupTable services;
    std::optional<procfs::CpuInfoSummary> cpuinfo;
    std::uint64_t mem_total_kb = 0;
    std::size_t cpu_count = 0;
    std::uint64_t line = 0;
};

SarRows::SarRows(Sink sink) : state_(std::make_unique<State>(std::move(sink))) {}
SarRows::~SarRows() = default;

void SarRows::add(const record::Record& r) {
    State& st = *state_;
    ++st.line;
    namespace names = record::subsystem;
    const std::string_view s = r.subsystem;
    Subsystem* sub = nullptr;
    if (s == names::kStat) {
        sub = &st.stat;
    } else if (s == names::kMeminfo) {
        sub = &st.meminfo;
    } else if (s == names::kNetDev) {
        sub = &st.net_dev;
    } else if (s == names::kDiskstats) {
        sub = &st.diskstats;
    } else if (s == names::kStatfs) {
        sub = &st.statfs;
    } else if (s == names::kVmstat) {
        sub = &st.vmstat;
    } else if (s == names::kLoadavg) {
        sub = &st.loadavg;
    } else if (s == names::kUptime) {
        procfs::Uptime uptime;
        if (!procfs::parse_uptime(r.measurement, uptime)) {
            ++st.events.bad_measurements;
            return;
        }
        st.ctx.clock.uptime_ts = r.timestamp;
        st.ctx.clock.uptime_cs = uptime.uptime_cs;
        return;
    } else if (s == names::kCpuinfo) {
        if (st.cpuinfo) return;  // only the first one counts, as for system_info.json
        procfs::CpuInfoSummary info;
        if (!procfs::parse_cpuinfo(r.measurement, info)) {
            ++st.events.bad_measurements;
            return;
        }
        st.cpu_count = std::max(st.cpu_count, static_cast<std::size_t>(info.total_cpus));
        st.cpuinfo = std::move(info);
        return;
    } else if (s.starts_with(names::kContainerPrefix) || s.starts_with(names::kServicePrefix)) {
        CgroupTable& table = s.starts_with(names::kContainerPrefix) ? st.containers : st.services;
        if (!table.add(r.timestamp, r.subsystem, r.measurement)) ++st.events.bad_measurements;
        return;
    } else {
        ++st.events.unknown_subsystems[r.subsystem];
        return;
    }
    if (!sub->parse(r.measurement)) {
        ++st.events.bad_measurements;
        return;
    }
    if (sub == &st.meminfo && st.meminfo.current().has_mem_total) {
        st.mem_total_kb = st.meminfo.current().mem_total;
    }
    sub->process({r.timestamp, st.line});
    if (sub == &st.stat) st.cpu_count = std::max(st.cpu_count, st.stat.current().cpus.size());
}

const Events& SarRows::events() const {
    return state_->events;
}
const std::optional<procfs::CpuInfoSummary>& SarRows::cpuinfo() const {
    return state_->cpuinfo;
}
std::uint64_t SarRows::mem_total_kb() const {
    return state_->mem_total_kb;
}
std::size_t SarRows::cpu_count() const {
    return state_->cpu_count;
}

namespace {

std::string render_table(const CgroupTable& table, std::size_t cpus, bool short_fallback) {
    if (table.empty()) return {};
    TableSettings settings;
    settings.mode = Mode::standard;
    settings.cpu_count = cpus;
    settings.short_fallback = short_fallback;
    return table.render(settings);
}

}  // namespace

std::string SarRows::containers_csv() const {
    return render_table(state_->containers, state_->cpu_count, true);
}
std::string SarRows::services_csv() const {
    return render_table(state_->services, state_->cpu_count, false);
}

RunFacts SarRows::facts() const {
    RunFacts f;
    f.cpuinfo = state_->cpuinfo;
    f.mem_total_kb = state_->mem_total_kb;
    f.cpu_count = state_->cpu_count;
    f.events = state_->events;
    f.containers_csv = containers_csv();
    f.services_csv = services_csv();
    return f;
}

}  // namespace pc::process
