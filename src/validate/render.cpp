#include "pc/validate/render.hpp"

#include <map>

#include "pc/core/output.hpp"
#include "pc/core/saturating.hpp"
#include "pc/record/subsystem_names.hpp"

namespace pc::validate {

namespace {

using core::format_bytes;
using core::format_seconds;
using core::format_utc;

std::string plural(std::uint64_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "1 malformed line, 1 truncated line": problems counted by kind over the examples kept, the
// remainder attributed as "more".
std::string problem_summary(const ValidationReport& r) {
    std::map<LineProblemKind, std::uint64_t> by_kind;
    for (const auto& p : r.line_problems.examples) ++by_kind[p.kind];
    std::string out;
    std::uint64_t shown = 0;
    for (const auto& [kind, n] : by_kind) {
        if (!out.empty()) out += ", ";
        out += plural(n, std::string(to_string(kind)) + " line",
                      std::string(to_string(kind)) + " lines");
        shown += n;
    }
    if (r.line_problems.count > shown) {
        out += ", " + std::to_string(r.line_problems.count - shown) + " more bad lines";
    }
    return out;
}

void add_part(std::string& s, const std::string& part) {
    if (!s.empty()) s += ", ";
    s += part;
}

template <typename T, typename F>
void section(std::ostream& out, const std::string& title, const Findings<T>& f, F describe) {
    out << title << ": " << (f.count == 0 ? std::string("none") : std::to_string(f.count)) << '\n';
    for (const auto& item : f.examples) out << "  " << describe(item) << '\n';
    if (f.count > f.examples.size()) {
        out << "  ... " << (f.count - f.examples.size()) << " more\n";
    }
}

std::string at(std::int64_t ts, std::uint64_t line) {
    return "line " + std::to_string(line) + " (" + core::format_utc(ts) + ")";
}

}  // namespace

std::string verdict(const ValidationReport& r) {
    std::string errors;
    if (!r.line_problems.empty()) add_part(errors, problem_summary(r));
    if (!r.duplicates.empty())
        add_part(errors, plural(r.duplicates.count, "duplicate tick", "duplicate ticks"));
    if (!r.out_of_order.empty()) {
        add_part(errors, plural(r.out_of_order.count, "tick out of order", "ticks out of order"));
    }
    if (!errors.empty()) return "CORRUPT: " + errors;
    if (r.ticks == 0) return "EMPTY: no records";
    std::string warnings;
    if (!r.gaps.empty()) {
        add_part(warnings, plural(r.gaps.count, "gap", "gaps") + " (" +
                               plural(static_cast<std::uint64_t>(r.missing_ticks), "tick missing",
                                      "ticks missing") +
                               ")");
    }
    if (!r.incomplete_ticks.empty()) {
        add_part(warnings, plural(r.incomplete_ticks.count, "incomplete tick", "incomplete ticks"));
    }
    if (!r.reboots.empty()) add_part(warnings, plural(r.reboots.count, "reboot", "reboots"));
    if (!r.counter_resets.empty()) {
        add_part(warnings, plural(r.counter_resets.count, "counter reset", "counter resets"));
    }
    if (!r.unknown_subsystems.empty()) {
        add_part(warnings,
                 plural(r.unknown_subsystems.size(), "unknown subsystem", "unknown subsystems"));
    }
    return warnings.empty() ? "OK" : "OK with warnings: " + warnings;
}

void render_text(const ValidationReport& r, std::ostream& out) {
    out << "collection: " << r.path << '\n';
    out << "size: " << core::format_bytes(r.bytes) << ", " << plural(r.lines, "line", "lines")
        << ", " << plural(r.records, "record", "records") << " (" << r.kind << ")\n";
    out << "ticks: " << r.ticks;
    if (r.first_timestamp && r.last_timestamp) {
        out << ", " << core::format_utc(*r.first_timestamp) << " .. "
            << core::format_utc(*r.last_timestamp) << " (span "
            << core::format_seconds(core::saturating_sub(*r.last_timestamp, *r.first_timestamp))
            << ")";
    }
    out << '\n';
    out << "frequency: ";
    if (r.frequency) {
        out << core::format_seconds(*r.frequency) << (r.frequency_given ? " (given)" : " (median)");
        if (r.min_interval && r.max_interval) {
            out << ", intervals " << core::format_seconds(*r.min_interval) << " .. "
                << core::format_seconds(*r.max_interval);
        }
    } else {
        out << "unknown (fewer than 2 ticks)";
    }
    out << '\n';
    out << "subsystems (ticks present):\n";
    for (const auto& s : r.subsystems) {
        out << "  " << s.subsystem << "  " << s.ticks << "/" << r.ticks;
        if (s.subsystem == record::subsystem::kCpuinfo)
            out << " (pcc writes it in a run's first tick only)";
        out << '\n';
    }
    for (const auto& s : r.unknown_subsystems) {
        out << "  unknown subsystem " << s << " (pcprocess does not know it)\n";
    }
    section(out, "malformed or truncated lines", r.line_problems, [](const LineProblem& p) {
        return "line " + std::to_string(p.line) + ": " + to_string(p.kind) + ": " + p.detail;
    });
    section(out, "duplicate ticks", r.duplicates,
            [](const DuplicateTick& d) { return at(d.timestamp, d.line) + ": " + d.detail; });
    section(out, "ticks out of order", r.out_of_order, [](const OutOfOrder& o) {
        return at(o.timestamp, o.line) + ": earlier than the tick before it (" +
               core::format_utc(o.previous) + ")";
    });
    out << "gaps: "
        << (r.gaps.empty() ? std::string("none")
                           : std::to_string(r.gaps.count) + " (" +
                                 plural(static_cast<std::uint64_t>(r.missing_ticks), "tick missing",
                                        "ticks missing") +
                                 ")")
        << '\n';
    for (const auto& g : r.gaps.examples) {
        out << "  " << core::format_utc(g.after) << " .. " << core::format_utc(g.before) << " ("
            << core::format_seconds(core::saturating_sub(g.before, g.after)) << ", about "
            << g.missing_ticks << " missing) before line " << g.line << '\n';
    }
    if (r.gaps.count > r.gaps.examples.size()) {
        out << "  ... " << (r.gaps.count - r.gaps.examples.size()) << " more\n";
    }
    section(out, "incomplete ticks", r.incomplete_ticks, [](const IncompleteTick& t) {
        std::string missing;
        for (const auto& m : t.missing) add_part(missing, m);
        return at(t.timestamp, t.line) + ": missing " + missing;
    });
    section(out, "reboots", r.reboots, [](const Reboot& b) {
        return at(b.timestamp, b.line) + ": boot time " +
               core::format_utc(static_cast<std::int64_t>(b.old_btime)) + " -> " +
               core::format_utc(static_cast<std::int64_t>(b.new_btime));
    });
    section(out, "counter resets", r.counter_resets, [](const CounterReset& c) {
        return at(c.timestamp, c.line) + ": " + c.counter + " went backwards";
    });
    section(out, "container/service restarts (not errors)", r.cgroup_restarts,
            [](const CounterReset& c) {
                return at(c.timestamp, c.line) + ": " + c.counter + " went back to a new start";
            });
    out << "verdict: " << verdict(r) << '\n';
}

namespace {

template <typename T, typename F>
nlohmann::json findings_json(const Findings<T>& f, F item) {
    nlohmann::json examples = nlohmann::json::array();
    for (const auto& e : f.examples) examples.push_back(item(e));
    return {{"count", f.count}, {"examples", examples}};
}

nlohmann::json optional_json(const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const ValidationReport& r) {
    nlohmann::json subsystems = nlohmann::json::array();
    for (const auto& s : r.subsystems) {
        subsystems.push_back({{"subsystem", s.subsystem}, {"ticks", s.ticks}});
    }
    return {
        {"path", r.path},
        {"bytes", r.bytes},
        {"lines", r.lines},
        {"records", r.records},
        {"ticks", r.ticks},
        {"kind", r.kind},
        {"first_timestamp", optional_json(r.first_timestamp)},
        {"last_timestamp", optional_json(r.last_timestamp)},
        {"span_seconds",
         r.first_timestamp && r.last_timestamp
             ? nlohmann::json(core::saturating_sub(*r.last_timestamp, *r.first_timestamp))
             : nlohmann::json(nullptr)},
        {"frequency_seconds", optional_json(r.frequency)},
        {"frequency_given", r.frequency_given},
        {"min_interval_seconds", optional_json(r.min_interval)},
        {"max_interval_seconds", optional_json(r.max_interval)},
        {"subsystems", subsystems},
        {"unknown_subsystems", r.unknown_subsystems},
        {"line_problems",
         findings_json(
             r.line_problems,
             [](const LineProblem& p) -> nlohmann::json {
                 return {{"line", p.line}, {"kind", to_string(p.kind)}, {"detail", p.detail}};
             })},
        {"duplicate_ticks",
         findings_json(
             r.duplicates,
             [](const DuplicateTick& d) -> nlohmann::json {
                 return {{"timestamp", d.timestamp}, {"line", d.line}, {"detail", d.detail}};
             })},
        {"out_of_order",
         findings_json(
             r.out_of_order,
             [](const OutOfOrder& o) -> nlohmann::json {
                 return {{"timestamp", o.timestamp}, {"previous", o.previous}, {"line", o.line}};
             })},
        {"gaps", findings_json(r.gaps,
                               [](const Gap& g) -> nlohmann::json {
                                   return {{"after", g.after},
                                           {"before", g.before},
                                           {"line", g.line},
                                           {"missing_ticks", g.missing_ticks}};
                               })},
        {"missing_ticks", r.missing_ticks},
        {"incomplete_ticks",
         findings_json(
             r.incomplete_ticks,
             [](const IncompleteTick& t) -> nlohmann::json {
                 return {{"timestamp", t.timestamp}, {"line", t.line}, {"missing", t.missing}};
             })},
        {"reboots", findings_json(r.reboots,
                                  [](const Reboot& b) -> nlohmann::json {
                                      return {{"timestamp", b.timestamp},
                                              {"line", b.line},
                                              {"old_btime", b.old_btime},
                                              {"new_btime", b.new_btime}};
                                  })},
        {"counter_resets",
         findings_json(
             r.counter_resets,
             [](const CounterReset& c) -> nlohmann::json {
                 return {{"timestamp", c.timestamp}, {"line", c.line}, {"counter", c.counter}};
             })},
        {"cgroup_restarts",
         findings_json(
             r.cgroup_restarts,
             [](const CounterReset& c) -> nlohmann::json {
                 return {{"timestamp", c.timestamp}, {"line", c.line}, {"counter", c.counter}};
             })},
        {"corrupt", r.corrupt()},
        {"verdict", verdict(r)},
    };
}

}  // namespace pc::validate
