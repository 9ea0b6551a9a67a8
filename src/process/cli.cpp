#include "pc/process/cli.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "pc/core/cli.hpp"
#include "pc/core/error.hpp"
#include "pc/core/logging.hpp"
#include "pc/core/version.hpp"
#include "pc/process/processor.hpp"

namespace pc::process {

namespace {

// The original's Go flag spellings "-collection x" / "-outdir=x" become "--collection ...".
std::vector<std::string> normalise_args(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    for (std::size_t i = 1; i < args.size(); ++i) {
        for (const char* name : {"-collection", "-outdir"}) {
            std::string n = name;
            if (args[i] == n || args[i].rfind(n + "=", 0) == 0) args[i] = "-" + args[i];
        }
    }
    return args;
}

}  // namespace

int pcprocess_main(int argc, char** argv, HtmlReportFactory html_report) {
    CLI::App app{
        "pcprocess: turns a perfcollector collection (JSON Lines, plain or gzip) into sar-style "
        "CSV files (the 'sar' tree of the original pcprocess, plus proc/vmstat and proc/loadavg) "
        "and/or one wide CSV per collection (<outdir>/perf.csv). Each flag can also be given "
        "through the environment variable shown; the flag wins. The original's -collection and "
        "-outdir spellings are accepted too."};
    core::use_help_style(app);
    app.get_formatter()->column_width(34);
    std::string collection, outdir, compat, formats, machine_id, container_names;
    std::string loglevel = "info";
    bool strict = false;
    app.add_option("--collection", collection,
                   "Collection to read; '-' reads standard input; gzip is detected (required)")
        ->envname("PCR_COLLECTION");
    app.add_option("--outdir", outdir, "Output directory, created when missing (required)")
        ->envname("PCR_OUTDIR");
    app.add_option("--compat", compat,
                   "'perfcollector2' reproduces the original byte for byte; default: unset, the "
                   "default (correct) mode")
        ->envname("PCR_COMPAT");
    app.add_option("--formats", formats,
                   "Outputs to write: comma-separated subset of sar,wide,html (default: sar,wide; "
                   "with --compat perfcollector2: sar, the original's files only); html writes "
                   "<outdir>/report.html, one self-contained page of charts")
        ->envname("PCR_FORMATS");
    app.add_option("--machine-id", machine_id,
                   "machine_id column of perf.csv (default: the collection's base name without "
                   "extension; 'stdin' for -)")
        ->envname("PCR_MACHINE_ID");
    app.add_option("--container-names", container_names,
                   "container_names.json (full id -> name, as made with docker inspect) for "
                   "containers.csv; default: the records' names, else the first 12 characters "
                   "of the id")
        ->envname("PCR_CONTAINER_NAMES");
    app.add_flag("--strict", strict,
                 "Make a malformed line, an unparsable measurement or a truncated last line "
                 "fatal (default: skip with a warning)")
        ->envname("PCR_STRICT");
    app.add_option("--loglevel", loglevel,
                   "Log level: trace, debug, info, warning, error, off (or 'pcprocess=INFO')")
        ->envname("PCR_LOGLEVEL")
        ->capture_default_str();
    core::add_version_flag(app, "pcprocess");

    std::vector<std::string> args = normalise_args(argc, argv);
    std::vector<char*> argp;
    for (auto& a : args) argp.push_back(a.data());
    return core::run_cli(app, static_cast<int>(argp.size()), argp.data(), "pcprocess", [&] {
        core::setup_logging(
            "pcprocess",
            core::parse_log_level(loglevel, "pcprocess", core::given_name(app, "--loglevel")));
        ProcessOptions options;
        if (collection.empty()) {
            throw core::UsageError(
                "no collection given; use --collection FILE or PCR_COLLECTION=FILE (- reads "
                "standard input)");
        }
        if (outdir.empty())
            throw core::UsageError("no output directory given; use --outdir DIR or PCR_OUTDIR=DIR");
        options.collection = collection;
        options.outdir = outdir;
        options.mode = parse_mode(compat, core::given_name(app, "--compat"));
        // The original writes only the sar tree: compat mode adds perf.csv only when asked.
        if (formats.empty()) formats = options.mode == Mode::compat ? "sar" : "sar,wide";
        options.formats = parse_formats(formats, core::given_name(app, "--formats"));
        options.machine_id = machine_id;
        options.strict = strict;
        options.container_names = container_names;
        if (options.formats.html) {
            if (!html_report) {
                throw core::UsageError(core::given_name(app, "--formats") +
                                       ": this program has no html report; use sar or wide");
            }
            options.html_report = html_report;
        }
        ProcessResult result = run_process(options);
        spdlog::info("processed {} records ({} bytes) from {} into {}", result.records,
                     result.bytes_read, collection, outdir);
        return 0;
    });
}

}  // namespace pc::process
