#include "pc/report/report_builder.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <sstream>

#include "assets.hpp"
#include "page_template.hpp"
#include "pc/process/sar_rows.hpp"
#include "pc/report/downsample.hpp"
#include "pc/report/escape.hpp"
#include "pc/report/figures.hpp"
#include "pc/report/summary_stats.hpp"

namespace pc::report {

namespace {

// More CPUs than this: the per-CPU chart is a heat map (lines would be unreadable).
constexpr std::size_t kMaxCpuLines = 8;

std::string utc_time(std::int64_t ts) {
    std::time_t t = static_cast<std::time_t>(ts);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string duration_text(std::int64_t seconds) {
    if (seconds < 120) return fmt::format("{} s", seconds);
    const std::int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
    const std::int64_t s = seconds % 60;
    if (d > 0) return fmt::format("{} d {} h {} min", d, h, m);
    if (h > 0) return fmt::format("{} h {} min", h, m);
    return s == 0 ? fmt::format("{} min", m) : fmt::format("{} min {} s", m, s);
}

// A value for the page's data: NaN as null, at most three decimals.
void append_value(std::string& out, double v) {
    if (std::isnan(v) || std::isinf(v)) {
        out += "null";
        return;
    }
    const double r = std::round(v * 1000) / 1000;
    fmt::format_to(std::back_inserter(out), "{}", r == 0 ? 0.0 : r);
}

void append_string_array(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_script_json_string(out, items[i]);
    }
    out += ']';
}

void append_fact(std::string& out, std::string_view id, std::string_view label,
                 std::string_view value) {
    fmt::format_to(std::back_inserter(out), "<dt>{}</dt><dd id=\"{}\">", label, id);
    append_html_escaped(out, value);
    out += "</dd>\n";
}

// The page's inline blocks, each the exact text between its tags, and their hashes.
struct PageBlocks {
    std::string dygraph_css = "\n" + std::string(assets::kDygraphCss) + "\n";
    std::string style = "\n" + std::string(page::kStyle);
    std::string error_hook = "\n" + std::string(page::kErrorHook);
    std::string dygraph_js = "\n" + std::string(assets::kDygraphJs) + "\n";
    std::string synchronizer_js = "\n" + std::string(assets::kSynchronizerJs) + "\n";
    std::string script = "\n" + std::string(page::kScript);
    CspHashes hashes;

    PageBlocks() {
        hashes.add_style(dygraph_css);
        hashes.add_style(style);
        hashes.add_script(error_hook);
        hashes.add_script(dygraph_js);
        hashes.add_script(synchronizer_js);
        hashes.add_script(script);
        // dygraphs sets one style attribute of its own (a span measuring 1em for the legend):
        // each literal value it sets is allowed by hash, found here so that an update of
        // libjs-dygraphs cannot go unnoticed.
        const std::string_view set_style = "setAttribute(\"style\",\"";
        std::string_view js = assets::kDygraphJs;
        for (auto at = js.find(set_style); at != std::string_view::npos;
             at = js.find(set_style, at + 1)) {
            const auto begin = at + set_style.size();
            const auto end = js.find('"', begin);
            if (end != std::string_view::npos)
                hashes.add_style_attribute(js.substr(begin, end - begin));
        }
    }
};

const PageBlocks& page_blocks() {
    static const PageBlocks blocks;
    return blocks;
}

}  // namespace

const CspHashes& report_page_hashes() {
    return page_blocks().hashes;
}

struct ReportBuilder::State {
    explicit State(ReportOptions o)
        : options(std::move(o)),
          figures(options.max_points),
          sar([this](std::string_view output, std::string_view rows) {
              figures.add_rows(output, rows);
          }) {}

    ReportOptions options;
    Figures figures;
    process::SarRows sar;
    std::size_t records = 0;
    std::vector<std::int64_t> ticks;  // distinct record timestamps, in collection order
    std::optional<process::RunFacts> given_facts;  // set_facts(): rows came from the caller

    void tick(std::int64_t ts) {
        ++records;
        if (ticks.empty() || ticks.back() != ts) ticks.push_back(ts);
    }

    process::RunFacts facts() const { return given_facts ? *given_facts : sar.facts(); }
    void append_header(std::string& out, const process::RunFacts& facts) const;
    void append_summary(std::string& out) const;
    void append_data(std::string& out, const std::vector<const Chart*>& charts) const;
};

ReportBuilder::ReportBuilder(ReportOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}
ReportBuilder::~ReportBuilder() = default;
ReportBuilder::ReportBuilder(ReportBuilder&&) noexcept = default;
ReportBuilder& ReportBuilder::operator=(ReportBuilder&&) noexcept = default;

void ReportBuilder::add(const record::Record& record) {
    State& st = *state_;
    st.tick(record.timestamp);
    st.sar.add(record);
}

void ReportBuilder::add_time(std::int64_t timestamp) {
    state_->tick(timestamp);
}

void ReportBuilder::add_rows(std::string_view output, std::string_view rows) {
    state_->figures.add_rows(output, rows);
}

void ReportBuilder::set_facts(process::RunFacts facts) {
    state_->given_facts = std::move(facts);
}

std::size_t ReportBuilder::records() const {
    return state_->records;
}

void ReportBuilder::State::append_header(std::string& out, const process::RunFacts& facts) const {
    out += "<header>\n<h1>";
    if (options.identifier.empty()) {
        out += "perfcollector report";
    } else {
        out += "perfcollector report: ";
        append_html_escaped(out, options.identifier);
    }
    out += "</h1>\n<dl class=\"facts\">\n";
    append_fact(out, "pc-identifier", "Machine",
                options.identifier.empty() ? "unknown" : options.identifier);
    const auto& cpu = facts.cpuinfo;
    append_fact(out, "pc-cpu-model", "CPU model",
                cpu && !cpu->model_name.empty() ? cpu->model_name : "unknown");
    std::string cpus = "unknown";
    const std::size_t count =
        cpu && cpu->total_cpus > 0 ? static_cast<std::size_t>(cpu->total_cpus) : facts.cpu_count;
    if (count > 0) {
        cpus = fmt::format("{} logical CPUs", count);
        if (cpu && cpu->cpu_cores > 0) {
            cpus += fmt::format(" ({} core{} per socket", cpu->cpu_cores,
                                cpu->cpu_cores == 1 ? "" : "s");
            if (cpu->physical_cpus > 0) {
                cpus += fmt::format(", {} socket{}", cpu->physical_cpus,
                                    cpu->physical_cpus == 1 ? "" : "s");
            }
            cpus += ')';
        }
    }
    append_fact(out, "pc-cpus", "CPUs", cpus);
    const std::uint64_t mem = facts.mem_total_kb;
    append_fact(out, "pc-memory", "Memory",
                mem ? fmt::format("{:.1f} GiB ({} kB)", static_cast<double>(mem) / 1048576.0, mem)
                    : std::string("unknown"));
    const std::int64_t step = usual_step(ticks);
    std::size_t gaps = 0;
    std::int64_t missing = 0;
    for (std::size_t i = 1; i < ticks.size(); ++i) {
        const std::int64_t d = ticks[i] - ticks[i - 1];
        if (d >= 2 * step) {
            ++gaps;
            missing += d - step;
        }
    }
    if (ticks.empty()) {
        append_fact(out, "pc-first", "First sample", "none");
        append_fact(out, "pc-last", "Last sample", "none");
    } else {
        append_fact(out, "pc-first", "First sample", utc_time(ticks.front()));
        append_fact(out, "pc-last", "Last sample",
                    utc_time(ticks.back()) + " (" + duration_text(ticks.back() - ticks.front()) +
                        " later)");
    }
    append_fact(out, "pc-ticks", "Samples (ticks)",
                fmt::format("{} ({} records)", ticks.size(), records));
    append_fact(out, "pc-interval", "Interval",
                ticks.size() > 1 ? fmt::format("{} s", step) : "unknown");
    append_fact(out, "pc-gaps", "Gaps",
                gaps == 0 ? std::string("none")
                          : fmt::format("{} ({} without samples)", gaps, duration_text(missing)));
    const process::Events& ev = facts.events;
    std::string resets = fmt::format("{} counter resets", ev.counter_resets);
    if (ev.reboots) resets += fmt::format(", {} reboots", ev.reboots);
    if (ev.bad_measurements)
        resets += fmt::format(", {} unreadable measurements", ev.bad_measurements);
    append_fact(out, "pc-resets", "Left out", resets);
    append_fact(out, "pc-generator", "Made by",
                options.generator.empty() ? "perfcollector" : options.generator);
    out += "</dl>\n</header>\n";
}

void ReportBuilder::State::append_summary(std::string& out) const {
    out += "<section id=\"pc-summary\">\n<h2>Summary</h2>\n";
    const auto metrics = figures.summary();
    if (metrics.empty()) {
        out += "<p>No sar figures in this collection.</p>\n</section>\n";
        return;
    }
    out +=
        "<p class=\"hint\">Over every sample; p95: 95 % of the samples are at or below it.</p>\n"
        "<table class=\"summary\">\n<thead><tr><th>Figure</th><th>Unit</th><th>Average</th>"
        "<th>p95</th><th>Maximum</th></tr></thead>\n<tbody>\n";
    for (const SummaryMetric* m : metrics) {
        const SummaryStats s = m->samples.stats();
        if (s.count == 0) continue;
        out += "<tr><td>";
        append_html_escaped(out, m->figure);
        out += "</td><td>";
        append_html_escaped(out, m->unit);
        fmt::format_to(std::back_inserter(out),
                       "</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td></tr>\n", s.average,
                       s.p95, s.max);
    }
    out += "</tbody>\n</table>\n";
    const auto idle = figures.idle_devices();
    if (!idle.empty()) {
        out +=
            "<p class=\"hint\" id=\"pc-idle\">Idle throughout (every figure 0), not listed "
            "and not charted: ";
        for (std::size_t i = 0; i < idle.size(); ++i) {
            if (i) out += ", ";
            append_html_escaped(out, idle[i]);
        }
        out += ".</p>\n";
    }
    out += "</section>\n";
}

void ReportBuilder::State::append_data(std::string& out,
                                       const std::vector<const Chart*>& charts) const {
    out += "{\"charts\":[";
    bool first = true;
    for (const Chart* c : charts) {
        if (!first) out += ',';
        first = false;
        const bool heat = c->per_cpu && c->table.columns() > kMaxCpuLines;
        out += "{\"title\":";
        append_script_json_string(out, c->title);
        out += ",\"unit\":";
        append_script_json_string(out, c->unit);
        out += ",\"right_unit\":";
        append_script_json_string(out, c->right_unit);
        out += ",\"labels\":";
        append_string_array(out, c->table.labels());
        out += ",\"right\":";
        append_string_array(out, c->right_series);
        fmt::format_to(std::back_inserter(out), ",\"stacked\":{},\"heat\":{},\"max_y\":{}",
                       c->stacked, heat, c->max_y);
        const DisplayRows rows = downsample(c->table, options.max_points);
        out += ",\"x\":[";
        for (std::size_t r = 0; r < rows.rows(); ++r) {
            if (r) out += ',';
            fmt::format_to(std::back_inserter(out), "{}", rows.times[r]);
        }
        out += "],\"y\":[";
        for (std::size_t i = 0; i < rows.cells.size(); ++i) {
            if (i) out += ',';
            append_value(out, rows.cells[i]);
        }
        out += "]}";
    }
    out += "]}";
}

std::string ReportBuilder::html() const {
    const State& st = *state_;
    // Containers and services are tables rendered at the end, as pcprocess writes them.
    const process::RunFacts facts = st.facts();
    // The figures stay as they are (a copy would cost as much as reading them): the container
    // and service charts come after theirs.
    std::vector<const Chart*> charts = st.figures.charts();
    std::vector<Chart> cgroups =
        cgroup_charts("Containers", facts.containers_csv, st.options.max_points);
    for (Chart& c : cgroup_charts("Services", facts.services_csv, st.options.max_points))
        cgroups.push_back(std::move(c));
    for (const Chart& c : cgroups) charts.push_back(&c);

    const PageBlocks& blocks = page_blocks();
    CspHashes hashes = blocks.hashes;
    if (!st.options.banner_style.empty()) hashes.add_style(st.options.banner_style);
    std::string out;
    out.reserve(assets::kDygraphJs.size() + 256 * 1024);
    out +=
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may be fetched (the page carries all it needs), and only the page's own
        // inline blocks, by hash, may run or style it.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src ";
    out += hashes.script_src();
    out += "; style-src ";
    out += hashes.style_src();
    out += "; img-src data:\">\n<title>";
    if (!st.options.title.empty()) {
        append_html_escaped(out, st.options.title);
    } else if (st.options.identifier.empty()) {
        out += "perfcollector report";
    } else {
        out += "perfcollector report: ";
        append_html_escaped(out, st.options.identifier);
    }
    out += "</title>\n<style>";
    out += blocks.dygraph_css;
    out += "</style>\n<style>";
    out += blocks.style;
    out += "</style>\n";
    if (!st.options.banner_style.empty()) {
        out += "<style>";
        out += st.options.banner_style;
        out += "</style>\n";
    }
    out += "<script>";
    out += blocks.error_hook;
    out += "</script>\n</head>\n<body>\n";
    if (!st.options.banner_html.empty()) {
        out += "<div class=\"pc-banner\">\n";
        out += st.options.banner_html;
        out += "\n</div>\n";
    }
    st.append_header(out, facts);
    st.append_summary(out);
    out +=
        "<section id=\"pc-chart-section\">\n<h2>Charts</h2>\n<p class=\"hint\">Times in UTC. "
        "Drag across a chart to zoom every chart to that time; double-click to zoom out. "
        "Hover to read the values. Long collections are drawn with each series' minimum and "
        "maximum per pixel column, so short spikes stay visible.</p>\n"
        "<div id=\"pc-charts\"></div>\n</section>\n<script type=\"application/json\" "
        "id=\"pc-data\">";
    st.append_data(out, charts);
    out += "</script>\n<script>";
    out += blocks.dygraph_js;
    out += "</script>\n<script>";
    out += blocks.synchronizer_js;
    out += "</script>\n<script>";
    out += blocks.script;
    out += "</script>\n</body>\n</html>\n";
    return out;
}

void ReportBuilder::write(std::ostream& out) const {
    const std::string page = html();
    out.write(page.data(), static_cast<std::streamsize>(page.size()));
}

}  // namespace pc::report
