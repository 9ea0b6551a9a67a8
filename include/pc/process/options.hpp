// What one pcprocess run does: input, output directory, mode, formats.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "pc/process/html_report.hpp"

namespace pc::process {

enum class Mode {
    standard,  // correct rates and robustness rules (the default)
    compat,    // byte-exact reproduction of perfcollector2's pcprocess
};

struct Formats {
    bool sar = true;    // the original's tree: proc/stat, proc/meminfo, ... (+ vmstat, loadavg)
    bool wide = true;   // <outdir>/perf.csv, one row per tick
    bool html = false;  // <outdir>/report.html (needs ProcessOptions::html_report)
};

struct ProcessOptions {
    std::string collection;        // path, or "-" for standard input; gzip is detected
    std::filesystem::path outdir;  // created when missing
    Mode mode = Mode::standard;
    Formats formats;
    std::string machine_id;  // perf.csv's machine_id column; empty = derived from `collection`
    bool strict = false;     // malformed or truncated lines are fatal
    // container_names.json (full id -> name) for containers.csv; empty = none.
    std::filesystem::path container_names;
    // Makes the report of the html format (the program's pc::report::ReportBuilder).
    HtmlReportFactory html_report;
};

// "perfcollector2" -> compat, "" -> standard; anything else throws UsageError naming `name`
// (the flag or variable the value came from).
Mode parse_mode(std::string_view value, std::string_view name = "PCR_COMPAT");
// Comma-separated subset of "sar,wide,html" (at least one); throws UsageError naming `name` and the
// bad entry.
Formats parse_formats(std::string_view value, std::string_view name = "PCR_FORMATS");
// The collection's base name without its extension(s) (".json", ".json.gz", ".gz"), or
// "stdin" for "-": how pcd names stored collections, i.e. the machine identifier.
std::string machine_id_from_path(std::string_view collection);

}  // namespace pc::process
