#include "pc/server/fleet_view.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "pc/procfs/meminfo.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/subsystem_names.hpp"
#include "pc/store/store.hpp"

namespace pc::server {

namespace {

// The timestamp and subsystem of a stored line without decoding it: pcd writes every line as
// {"timestamp":N,"subsystem":"...",...}. Anything else is decoded in full.
struct LineHead {
    std::int64_t timestamp = 0;
    std::string_view subsystem;
};

std::optional<LineHead> line_head(std::string_view line) {
    constexpr std::string_view prefix = "{\"timestamp\":";
    constexpr std::string_view middle = ",\"subsystem\":\"";
    if (!line.starts_with(prefix)) return std::nullopt;
    LineHead head;
    const char* begin = line.data() + prefix.size();
    const char* end = line.data() + line.size();
    auto [ptr, ec] = std::from_chars(begin, end, head.timestamp);
    if (ec != std::errc() || ptr == begin) return std::nullopt;
    std::string_view rest(ptr, static_cast<std::size_t>(end - ptr));
    if (!rest.starts_with(middle)) return std::nullopt;
    rest.remove_prefix(middle.size());
    const auto quote = rest.find('"');
    if (quote == std::string_view::npos) return std::nullopt;
    head.subsystem = rest.substr(0, quote);
    return head;
}

double mem_used_pct(const procfs::MemInfo& m) {
    // sysstat's %memused, as pcprocess writes it (process/meminfo_subsystem).
    const std::uint64_t used =
        m.mem_total - std::min(m.mem_total, m.mem_free + m.buffers + m.cached + m.slab);
    return static_cast<double>(used) / static_cast<double>(m.mem_total) * 100;
}

}  // namespace

std::optional<double> cpu_busy_pct(const procfs::CpuJiffies& before,
                                   const procfs::CpuJiffies& after) {
    using F = procfs::CpuJiffies;
    const auto idle = [](const F& j) { return j[F::idle] + j[F::iowait]; };
    if (after.total() <= before.total() || idle(after) < idle(before)) return std::nullopt;
    const auto total = after.total() - before.total();
    const auto idle_delta = idle(after) - idle(before);
    if (idle_delta > total) return std::nullopt;
    return static_cast<double>(total - idle_delta) / static_cast<double>(total) * 100;
}

FleetView::FleetView(const store::Store& store, std::size_t max_reads)
    : store_(store), max_reads_(std::max<std::size_t>(max_reads, 1)) {}

bool FleetView::catch_up(const std::string& identifier, Machine& machine) {
    store::TimeRange range;
    if (auto last = machine.timeline.last_tick()) range.since = *last + 1;
    auto stream = store_.read(identifier, range);
    if (!stream) return false;
    // Only the newest /proc/stat and /proc/meminfo lines are parsed: keep their text.
    std::string stat_lines[2];
    std::size_t stats = 0;
    std::string meminfo_line;
    std::string chunk;
    while (stream->next(chunk)) {
        std::string_view rest(chunk);
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            std::string_view line = rest.substr(0, nl);
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
            std::optional<LineHead> head = line_head(line);
            std::optional<record::Record> decoded;
            if (!head) {
                auto r = record::decode_record(line);
                if (!r.record) continue;
                decoded = std::move(r.record);
                head = LineHead{decoded->timestamp, decoded->subsystem};
            }
            machine.timeline.add(head->timestamp);
            if (head->subsystem == record::subsystem::kStat) {
                stat_lines[stats % 2].assign(line);
                ++stats;
            } else if (head->subsystem == record::subsystem::kMeminfo) {
                meminfo_line.assign(line);
            }
        }
    }
    const auto measurement = [](const std::string& line) -> std::optional<std::string> {
        auto r = record::decode_record(line);
        if (!r.record) return std::nullopt;
        return record::measurement_text(*r.record);
    };
    procfs::StatSample sample;
    for (std::size_t i = stats >= 2 ? stats - 2 : 0; i < stats; ++i) {
        auto text = measurement(stat_lines[i % 2]);
        if (!text || !procfs::parse_stat(*text, sample) || !sample.has_total) continue;
        machine.cpu_before = machine.cpu_last;
        machine.cpu_last = sample.total;
    }
    if (!meminfo_line.empty()) {
        procfs::MemInfo mem;
        auto text = measurement(meminfo_line);
        if (text && procfs::parse_meminfo(*text, mem) && mem.mem_total > 0) {
            machine.mem_used_pct = mem_used_pct(mem);
        }
    }
    return true;
}

std::vector<FleetRow> FleetView::refresh(std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto summaries = store_.machines();
    // Forget machines that were deleted.
    std::erase_if(machines_, [&](const auto& entry) {
        return !std::ranges::binary_search(summaries, entry.first, {},
                                           &store::MachineSummary::identifier);
    });
    // Which machines have records not read yet; the least recently read go first.
    std::vector<std::pair<const store::MachineSummary*, Machine*>> stale;
    for (const auto& s : summaries) {
        auto& m = machines_[s.identifier];
        if (m.read && (s.records < m.records_read || s.first_timestamp != m.first_timestamp)) {
            m = Machine{};  // trimmed or deleted and sent again: count from the start
        }
        if (!m.read || s.records != m.records_read) stale.emplace_back(&s, &m);
    }
    std::stable_sort(stale.begin(), stale.end(), [](const auto& a, const auto& b) {
        return a.second->read_at < b.second->read_at;
    });
    last_reads_ = 0;
    for (auto& [summary, machine] : stale) {
        if (last_reads_ >= max_reads_) break;
        ++last_reads_;
        try {
            if (!catch_up(summary->identifier, *machine)) continue;
        } catch (const std::exception& e) {
            spdlog::error("dashboard: cannot read {}: {}", summary->identifier, e.what());
        }
        machine->read = true;
        machine->read_at = std::chrono::steady_clock::now();
        machine->records_read = summary->records;
        machine->first_timestamp = summary->first_timestamp;
    }
    std::vector<FleetRow> rows;
    rows.reserve(summaries.size());
    for (const auto& s : summaries) {
        const auto& m = machines_[s.identifier];
        FleetRow row;
        row.identifier = s.identifier;
        row.last_seen = s.last_seen;
        row.age = s.last_seen > 0 ? std::max<std::int64_t>(0, now - s.last_seen) : 0;
        row.first_timestamp = s.first_timestamp;
        row.last_timestamp = s.last_timestamp;
        row.records = s.records;
        row.bytes = s.bytes;
        row.ticks = m.timeline.ticks();
        row.gaps = m.timeline.gaps();
        row.interval = m.timeline.interval();
        row.state =
            s.last_seen > 0 ? classify_machine(row.age, row.interval) : MachineState::silent;
        if (m.cpu_before && m.cpu_last) row.cpu_busy_pct = cpu_busy_pct(*m.cpu_before, *m.cpu_last);
        row.mem_used_pct = m.mem_used_pct;
        row.pending = !m.read || m.records_read != s.records;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string encode_fleet_json(const std::vector<FleetRow>& rows, std::int64_t now) {
    nlohmann::json machines = nlohmann::json::array();
    for (const auto& r : rows) {
        const auto optional = [](const auto& v) -> nlohmann::json {
            return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
        };
        const auto rounded = [](const std::optional<double>& v) -> nlohmann::json {
            return v ? nlohmann::json(std::round(*v * 10) / 10) : nlohmann::json(nullptr);
        };
        machines.push_back({{"identifier", r.identifier},
                            {"last_seen", r.last_seen},
                            {"age", r.age},
                            {"first_timestamp", r.first_timestamp},
                            {"last_timestamp", r.last_timestamp},
                            {"records", r.records},
                            {"bytes", r.bytes},
                            {"ticks", r.ticks},
                            {"gaps", r.gaps},
                            {"interval", optional(r.interval)},
                            {"state", state_name(r.state)},
                            {"cpu_busy_pct", rounded(r.cpu_busy_pct)},
                            {"mem_used_pct", rounded(r.mem_used_pct)},
                            {"pending", r.pending}});
    }
    return nlohmann::json{{"now", now}, {"machines", std::move(machines)}}.dump();
}

}  // namespace pc::server
