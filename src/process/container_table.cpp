#include "container_table.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "csv_field.hpp"
#include "pc/process/fixed_number.hpp"
#include "pc/process/go_float.hpp"

namespace pc::process {

namespace {

constexpr std::string_view kHeader =
    "timestamp,container_id,container_name,runtime,cpu_percent,cpu_user_percent,"
    "cpu_system_percent,memory_current_bytes,memory_max_bytes,memory_percent,io_read_bytes,"
    "io_write_bytes,io_read_ops,io_write_ops,pids_current\r\n";

// The measurement keys that feed a row, and where each goes.
std::uint64_t* counter_for(CgroupSample& s, std::string_view key) {
    if (key == "cpu_usage_usec") return &s.cpu_usage_usec;
    if (key == "cpu_user_usec") return &s.cpu_user_usec;
    if (key == "cpu_system_usec") return &s.cpu_system_usec;
    if (key == "memory_current") return &s.memory_current;
    if (key == "memory_max") return &s.memory_max;
    if (key == "io_read_bytes") return &s.io_read_bytes;
    if (key == "io_write_bytes") return &s.io_write_bytes;
    if (key == "io_read_ops") return &s.io_read_ops;
    if (key == "io_write_ops") return &s.io_write_ops;
    if (key == "pids_current") return &s.pids_current;
    return nullptr;
}

// The converter's csv module quotes a field only when it holds a comma, a quote or a line end.
void csv_cell(std::string& out, std::string_view v) {
    out += ',';
    append_csv_field(out, v);
}

void fixed2_cell(std::string& out, double v) {
    out += ',';
    append_fixed2(out, v);
}

// b - a as the exact integer first, then one rounding to double (Python's int arithmetic).
double delta(std::uint64_t a, std::uint64_t b) {
    return b >= a ? static_cast<double>(b - a) : -static_cast<double>(a - b);
}

// One cpu column: Δusec / 1e6 / Δt × 100 in the converter's order of operations. compat caps
// at 800 and prints negatives; default caps at the machine's CPUs (when known) and leaves a
// negative (a restarted container) empty.
void cpu_cell(std::string& out, std::uint64_t prev, std::uint64_t cur, std::int64_t dt,
              const TableSettings& settings) {
    double pct = delta(prev, cur) / 1e6 / static_cast<double>(dt) * 100;
    if (settings.mode == Mode::compat) {
        // The converter's "%.2f" keeps the sign of a negative that rounds to zero, which
        // append_fixed2 drops.
        if (pct < 0 && pct > -0.005) {
            out += ",-0.00";
            return;
        }
        fixed2_cell(out, std::min(pct, 800.0));
        return;
    }
    if (pct < 0) {
        out += ',';
        return;
    }
    if (settings.cpu_count != 0) pct = std::min(pct, static_cast<double>(settings.cpu_count) * 100);
    fixed2_cell(out, pct);
}

}  // namespace

procfs::ParseStatus CgroupTable::add(std::int64_t ts, std::string_view subsystem,
                                     std::string_view measurement) {
    // "<kind>/<runtime>/<short id>[/...]": the converter reads parts 1 and 2.
    std::size_t a = subsystem.find('/');
    std::size_t b = a == std::string_view::npos ? a : subsystem.find('/', a + 1);
    if (b == std::string_view::npos) {
        return procfs::ParseStatus::failure("subsystem has no runtime and id parts");
    }
    std::string_view runtime = subsystem.substr(a + 1, b - a - 1);
    std::string_view short_id = subsystem.substr(b + 1);
    short_id = short_id.substr(0, short_id.find('/'));

    auto j = nlohmann::json::parse(measurement, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return procfs::ParseStatus::failure("measurement is not a JSON object");
    }
    CgroupSample s;
    s.ts = ts;
    s.empty = j.empty();
    std::optional<std::string> id;
    std::string name;
    for (const auto& [key, value] : j.items()) {
        if (std::uint64_t* field = counter_for(s, key)) {
            if (!value.is_number_unsigned()) {
                return procfs::ParseStatus::failure("'" + key + "' is not a non-negative integer");
            }
            *field = value.get<std::uint64_t>();
        } else if (key == "container_id" || key == "container_name") {
            if (!value.is_string()) {
                return procfs::ParseStatus::failure("'" + key + "' is not a string");
            }
            (key == "container_id" ? id.emplace() : name) = value.get<std::string>();
        }
    }
    auto rt = std::find(runtimes_.begin(), runtimes_.end(), runtime);
    if (rt == runtimes_.end()) rt = runtimes_.insert(rt, std::string(runtime));
    s.runtime = static_cast<std::uint32_t>(rt - runtimes_.begin());

    std::string key = id ? std::move(*id) : std::string(short_id);
    auto [it, inserted] = index_.try_emplace(key, groups_.size());
    if (inserted) groups_.push_back({std::move(key), {}, {}});
    Group& g = groups_[it->second];
    if (!name.empty()) g.record_name = std::move(name);
    g.samples.push_back(s);
    return procfs::ParseStatus::success();
}

std::string CgroupTable::render(const TableSettings& settings) const {
    const bool compat = settings.mode == Mode::compat;
    std::string out(kHeader);
    std::vector<CgroupSample> samples;
    for (const Group& g : groups_) {
        std::string_view name;
        std::string fallback = settings.short_fallback ? g.id.substr(0, 12) : g.id;
        auto named = settings.names ? settings.names->find(g.id) : ContainerNames::const_iterator{};
        if (settings.names && named != settings.names->end()) {
            name = named->second;
        } else if (!compat && !g.record_name.empty()) {
            name = g.record_name;
        } else {
            name = fallback;
        }
        samples = g.samples;
        std::stable_sort(samples.begin(), samples.end(),
                         [](const CgroupSample& x, const CgroupSample& y) { return x.ts < y.ts; });
        const CgroupSample* prev = nullptr;
        for (const CgroupSample& s : samples) {
            append_int(out, s.ts);
            csv_cell(out, g.id);
            csv_cell(out, name);
            csv_cell(out, runtimes_[s.runtime]);
            // The converter: no previous record (or an empty one), no timestamp before, or
            // Δt <= 0 leave the cpu columns empty.
            std::int64_t dt = prev && prev->ts != 0 ? s.ts - prev->ts : 0;
            if (prev && !prev->empty && dt > 0) {
                cpu_cell(out, prev->cpu_usage_usec, s.cpu_usage_usec, dt, settings);
                cpu_cell(out, prev->cpu_user_usec, s.cpu_user_usec, dt, settings);
                cpu_cell(out, prev->cpu_system_usec, s.cpu_system_usec, dt, settings);
            } else {
                out += ",,,";
            }
            out += ',';
            append_uint(out, s.memory_current);
            out += ',';
            append_uint(out, s.memory_max);
            if (s.memory_max > 0) {
                fixed2_cell(out, static_cast<double>(s.memory_current) /
                                     static_cast<double>(s.memory_max) * 100);
            } else if (compat) {
                out += ",0.00";
            } else {
                out += ',';  // no limit: no percentage of it
            }
            for (std::uint64_t v : {s.io_read_bytes, s.io_write_bytes, s.io_read_ops,
                                    s.io_write_ops, s.pids_current}) {
                out += ',';
                append_uint(out, v);
            }
            out += "\r\n";
            prev = &s;
        }
    }
    return out;
}

}  // namespace pc::process
