#include "pc/ctl/report_command.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

#include "pc/api/machines.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"
#include "pc/core/version.hpp"
#include "pc/ctl/remote.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/collection_reader.hpp"
#include "pc/record/identifier.hpp"
#include "pc/report/report_builder.hpp"

namespace pc::ctl {

namespace {

struct ReportArgs {
    std::string identifier;
    std::string since;
    std::string until;
    std::string input;
    std::string output;
    std::size_t max_points = 2000;
};

// Splits the streamed collection into lines and gives each decoded record to the builder.
class LineFeeder {
public:
    explicit LineFeeder(report::ReportBuilder& builder) : builder_(builder) {}

    bool write(std::string_view data) {
        bytes_ += data.size();
        while (!data.empty()) {
            const std::size_t nl = data.find('\n');
            if (nl == std::string_view::npos) {
                partial_.append(data);
                break;
            }
            if (partial_.empty()) {
                line(data.substr(0, nl));
            } else {
                partial_.append(data.substr(0, nl));
                line(partial_);
                partial_.clear();
            }
            data.remove_prefix(nl + 1);
        }
        return true;
    }
    // The download ended: a last line without its newline was cut short.
    void finish() {
        if (!partial_.empty()) ++bad_lines_;
        partial_.clear();
    }
    std::uint64_t records() const { return records_; }
    std::uint64_t bad_lines() const { return bad_lines_; }
    std::uint64_t bytes() const { return bytes_; }

private:
    void line(std::string_view text) {
        if (text.empty()) return;
        auto decoded = record::decode_record(text);
        if (!decoded.record) {
            ++bad_lines_;
            return;
        }
        ++records_;
        builder_.add(*decoded.record);
    }

    report::ReportBuilder& builder_;
    std::string partial_;
    std::uint64_t records_ = 0;
    std::uint64_t bad_lines_ = 0;
    std::uint64_t bytes_ = 0;
};

// The file's base name without ".gz", ".json", ".jsonl": how pcd names stored collections.
std::string name_of_collection(const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    for (std::string_view ext : {".gz", ".json", ".jsonl"}) {
        if (name.size() > ext.size() && name.ends_with(ext)) name.resize(name.size() - ext.size());
    }
    return name;
}

std::string window_text(const std::optional<std::int64_t>& since,
                        const std::optional<std::int64_t>& until) {
    if (!since && !until) return "";
    return ", window " + (since ? core::format_utc(*since) : std::string("start")) + " to " +
           (until ? core::format_utc(*until) : std::string("end"));
}

int run_report(const GlobalOptions& global, const ReportArgs& args, Streams s) {
    if (args.identifier.empty() && args.input.empty()) {
        throw core::UsageError(
            "report: give a machine identifier (fetched from pcd) or --input FILE (a local "
            "collection)");
    }
    if (!args.identifier.empty() && !record::valid_identifier(args.identifier)) {
        throw core::UsageError("invalid machine identifier \"" + args.identifier +
                               "\" (letters, digits, '.', '_', '-'; see pcctl machines)");
    }
    if (!args.input.empty() && (!args.since.empty() || !args.until.empty())) {
        throw core::UsageError(
            "report: --since and --until select what pcd sends; with --input the whole file is "
            "used (cut it with pcctl fetch --since/--until instead)");
    }
    if (args.max_points < 100) {
        throw core::UsageError("report: --max-points must be at least 100");
    }
    report::ReportOptions options;
    options.max_points = args.max_points;
    std::uint64_t records = 0, bad = 0;
    std::string source;
    if (!args.input.empty()) {
        options.identifier =
            args.identifier.empty() ? name_of_collection(args.input) : args.identifier;
        options.generator = core::version_line("pcctl") + ", from " + args.input;
        report::ReportBuilder builder(options);
        record::CollectionReader reader(args.input);
        record::ReadItem item;
        while (reader.next(item)) {
            if (item.status != record::LineStatus::ok) {
                ++bad;
                continue;
            }
            ++records;
            builder.add(item.record);
        }
        source = args.input;
        const std::string page = builder.html();
        if (args.output.empty() || args.output == "-") {
            s.out << page;
        } else {
            core::write_file_atomic(args.output, page);
        }
    } else {
        auto headers = admin_headers(global);
        std::string route = api::machine_collection_path(args.identifier);
        const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
        std::optional<std::int64_t> since, until;
        if (!args.since.empty()) since = parse_time_argument(args.since, "--since", now);
        if (!args.until.empty()) until = parse_time_argument(args.until, "--until", now);
        if (since && until && *since > *until) throw core::UsageError("--since is after --until");
        std::string query;
        if (since) query += "since=" + std::to_string(*since);
        if (until)
            query += std::string(query.empty() ? "" : "&") + "until=" + std::to_string(*until);
        if (!query.empty()) route += "?" + query;
        auto http = make_pcd_client(global);
        options.identifier = args.identifier;
        options.generator = core::version_line("pcctl") + ", from " + http->base().to_string() +
                            window_text(since, until);
        report::ReportBuilder builder(options);
        LineFeeder feeder(builder);
        auto result = http->get_streaming(
            route, headers, [&](std::string_view data) { return feeder.write(data); });
        if (!result.has_response()) {
            throw core::UserError("report " + args.identifier + ": " + describe_failure(result) +
                                  "; nothing was written");
        }
        if (result.status() != 200) {
            throw core::UserError("report " + args.identifier + ": " + describe_failure(result));
        }
        feeder.finish();
        records = feeder.records();
        bad = feeder.bad_lines();
        source = args.identifier + " on " + http->base().to_string();
        if (records == 0) {
            throw core::UserError("report " + args.identifier + ": pcd has no records" +
                                  (since || until ? " in that window" : "") +
                                  "; nothing was written");
        }
        const std::string page = builder.html();
        if (args.output.empty() || args.output == "-") {
            s.out << page;
        } else {
            core::write_file_atomic(args.output, page);
        }
    }
    std::ostream& note = args.output.empty() || args.output == "-" ? s.err : s.out;
    if (global.json && !args.output.empty() && args.output != "-") {
        core::print_json(s.out, {{"source", source},
                                 {"file", args.output},
                                 {"records", records},
                                 {"skipped_lines", bad}});
        return 0;
    }
    note << "report of " << records << " records from " << source;
    if (bad > 0) note << " (" << bad << " unreadable lines skipped)";
    if (!args.output.empty() && args.output != "-") note << " written to " << args.output;
    note << '\n';
    return 0;
}

}  // namespace

void register_report_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<ReportArgs>();
    auto* cmd = root.add_subcommand(
        "report",
        "HTML report of a machine's stored collection (GET /v1/machines/<id>/collection, needs "
        "the admin key) or of a local collection file (--input): one self-contained page with "
        "the host's facts, a summary table and charts, as pcprocess --formats html writes it");
    cmd->add_option("identifier", args->identifier,
                    "Machine identifier (see pcctl machines); with --input, the name shown "
                    "(default: the file's base name)");
    cmd->add_option("--since", args->since,
                    "Only records at or after this time: Unix seconds, RFC 3339, or a duration "
                    "ago (2h) (no env var); default: from the first record");
    cmd->add_option("--until", args->until,
                    "Only records at or before this time, same forms (no env var); default: up "
                    "to the last record");
    cmd->add_option("--input", args->input,
                    "Read this local collection file (plain or gzip) instead of asking pcd (no "
                    "env var); default: none");
    cmd->add_option("-o,--output", args->output,
                    "Write the page to this file, replaced only when complete (no env var); "
                    "default: stdout");
    cmd->add_option("--max-points", args->max_points,
                    "Points drawn per series: longer windows show each series' minimum and "
                    "maximum per point (no env var)")
        ->capture_default_str();
    actions.add(cmd, [args, &global](Streams s) { return run_report(global, *args, s); });
}

}  // namespace pc::ctl
