// The HTML report of a collection: one self-contained page (scripts, styles and data inline; it
// makes no request) with a header, a summary table and one chart per figure group, all charts
// on one time axis. One renderer for pcprocess (report.html), pcd's dashboard and pcctl report.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "pc/process/sar_rows.hpp"
#include "pc/record/record.hpp"
#include "pc/report/csp_hashes.hpp"

namespace pc::report {

struct ReportOptions {
    std::string identifier;         // shown in the header; empty when unknown
    std::string generator;          // e.g. "pcprocess 1.4.0, default mode" / "pcd 1.4.0"
    std::size_t max_points = 2000;  // display points per series (min/max per pixel column)
    std::string banner_html;        // trusted HTML placed above the header (the dashboard's
                                    // navigation, window form, download links); empty in files
    std::string banner_style;       // CSS for banner_html, its own <style> block (listed by
                                    // hash in the page's policy, as every inline block is)
    std::string title;              // <title>; default "perfcollector report: <identifier>"
};

// The hashes of the report page's own inline scripts and styles (not of a banner_style): what
// its Content-Security-Policy allows, and what a server's policy for the page must list.
const CspHashes& report_page_hashes();

class ReportBuilder {
public:
    explicit ReportBuilder(ReportOptions options);
    ~ReportBuilder();
    ReportBuilder(ReportBuilder&&) noexcept;
    ReportBuilder& operator=(ReportBuilder&&) noexcept;

    void add(const record::Record& record);  // every record of the collection, in order
    void write(std::ostream& out) const;     // the whole self-contained HTML page

    // Instead of add(), for a caller that runs the process module's subsystems itself (pcprocess
    // in default mode): each record's timestamp, each record's sar rows as the subsystems wrote
    // them (process::Context::rows), then the run's facts. The page is the one add() gives.
    void add_time(std::int64_t timestamp);
    void add_rows(std::string_view output, std::string_view rows);
    void set_facts(process::RunFacts facts);

    // The page as a string (what write() writes).
    std::string html() const;
    // Records given to add() so far.
    std::size_t records() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace pc::report
