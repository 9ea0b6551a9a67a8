#include "pc/ctl/measure_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

#include "pc/api/trickle.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"
#include "pc/ctl/remote.hpp"
#include "pc/measure/measurer.hpp"
#include "pc/measure/result_format.hpp"

namespace pc::ctl {

namespace {

// The portal waits this long for a load test; so does pcctl, whatever --timeout says.
constexpr std::chrono::seconds kLoadTestWait{300};

struct MeasureArgs {
    bool verbose = false;
    std::string output;
    std::string format = "json";
    std::string levels = "10,20,30,40,50,60,70,80,90,100";
    double seconds_per_level = 5;
};

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

void write_output(const std::string& path, const std::string& text, std::ostream& out) {
    if (path.empty() || path == "-") {
        out << text;
        out.flush();
        return;
    }
    try {
        core::write_file_atomic(path, text);
    } catch (const std::exception& e) {
        throw core::UserError("cannot write " + path + ": " + e.what());
    }
}

int run_cpumeasure(const MeasureArgs& args, Streams s) {
    auto format = measure::parse_format(args.format);
    if (!format)
        throw core::UserError("--format: use json, csv or jsonl, not \"" + args.format + "\"");
    if (!(args.seconds_per_level > 0 && args.seconds_per_level <= 3600)) {
        throw core::UserError("--seconds-per-level: must be more than 0 and at most 3600");
    }
    measure::MeasureOptions options;
    options.levels = measure::parse_levels(args.levels, "--levels");
    options.level_length = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(args.seconds_per_level));
    const bool progress = args.verbose || ::isatty(STDERR_FILENO);
    const auto cores = measure::usable_cpus();
    const auto levels = options.levels.size();
    std::size_t done = 0;
    if (progress) {
        s.err << "measuring " << cores << " core(s): " << levels << " level(s) of "
              << args.seconds_per_level << " s, about "
              << fixed(std::chrono::duration<double>(measure::total_length(options)).count(), 0)
              << " s\n";
        options.on_level = [&](const measure::LevelResult& level) {
            ++done;
            s.err << "[" << done << "/" << levels << "] " << level.busy_pct
                  << "% busy: " << level.work_units << " work units\n";
            s.err.flush();
        };
    }
    auto result = measure::measure(options);
    write_output(args.output, measure::encode(result, *format), s.out);
    if (progress) {
        s.err << "max " << result.max_units << " units, avg " << result.avg_units << " units, "
              << fixed(result.units_per_sec, 1) << " units/s at full load";
        if (!args.output.empty() && args.output != "-") s.err << "; written to " << args.output;
        s.err << '\n';
    }
    return 0;
}

int run_loadtest(const GlobalOptions& global, const std::string& output, Streams s) {
    const std::string& key = !global.apikey.empty() ? global.apikey : global.adminkey;
    if (key.empty()) {
        throw core::UserError(
            "loadtest needs a key pcd accepts: a machine key (--apikey or PCC_APIKEY) or an "
            "admin key (--adminkey or PCCTL_ADMINKEY)");
    }
    GlobalOptions patient = global;
    if (parse_duration_setting(global.timeout, "PCCTL_TIMEOUT") < kLoadTestWait) {
        patient.timeout = std::to_string(kLoadTestWait.count()) + "s";
    }
    auto http = make_pcd_client(patient);
    auto result = http->post(api::kRouteLoadTest, "{}", "application/json", {{"apikey", key}});
    const std::string where = "loadtest on " + http->base().to_string() + ": ";
    if (!result.has_response() || result.status() != 200) {
        throw core::UserError(where + describe_failure(result));
    }
    auto decoded = measure::decode_json(result.response->body);
    if (!decoded) {
        throw core::UserError(where + "the answer is not a load test result (is this pcd?)");
    }
    if (!output.empty()) {
        write_output(output, measure::encode(*decoded, measure::Format::json), s.out);
        if (output != "-") s.err << "written to " << output << '\n';
    } else if (global.json) {
        s.out << measure::encode_json(*decoded) << '\n';
    } else {
        s.out << "load test of " << http->base().to_string() << '\n';
        print_measure_table(s.out, *decoded);
    }
    return 0;
}

}  // namespace

void print_measure_table(std::ostream& out, const measure::MeasureResult& result) {
    out << "host " << result.hostname << ", " << result.num_cores << " core(s), "
        << core::format_utc(result.timestamp) << '\n';
    std::vector<std::vector<std::string>> rows;
    for (const auto& level : result.results) {
        rows.push_back({std::to_string(level.busy_pct) + "%", std::to_string(level.work_units)});
    }
    core::print_table(out, {"BUSY", "WORK UNITS"}, rows);
    out << "max " << result.max_units << " units, avg " << result.avg_units << " units, "
        << fixed(result.units_per_sec, 1) << " units/s at full load\n";
}

void register_measure_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<MeasureArgs>();
    auto* cpu = root.add_subcommand(
        "cpumeasure",
        "Measure this host's CPU capacity in work units: every core busy 10%, 20%, ... 100% of "
        "each 100 ms for --seconds-per-level each (the original perfcpumeasure)");
    cpu->add_flag("-v,--verbose", args->verbose,
                  "Progress on stderr, a level at a time (no env var); default: only when "
                  "stderr is a terminal");
    cpu->add_option("-o,--output", args->output,
                    "Write the result to this file, replaced whole (no env var); default: stdout");
    cpu->add_option("--format", args->format, "Output format: json, csv or jsonl (no env var)")
        ->capture_default_str();
    cpu->add_option("--levels", args->levels,
                    "Busy percentages to measure, increasing, comma-separated (no env var)")
        ->capture_default_str();
    cpu->add_option("--seconds-per-level", args->seconds_per_level,
                    "Seconds each level runs (no env var)")
        ->capture_default_str();
    actions.add(cpu, [args](Streams s) { return run_cpumeasure(*args, s); });

    auto output = std::make_shared<std::string>();
    auto* load = root.add_subcommand(
        "loadtest",
        "Run the CPU capacity measurement on the pcd at --server (POST /v1/loadtest, about "
        "50 s; needs --apikey or --adminkey) and print its result as a table");
    load->add_option("-o,--output", *output,
                     "Write the result as JSON to this file instead (no env var); default: the "
                     "table on stdout");
    actions.add(load, [output, &global](Streams s) { return run_loadtest(global, *output, s); });
}

}  // namespace pc::ctl
