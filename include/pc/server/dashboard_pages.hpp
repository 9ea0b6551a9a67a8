// The dashboard's own HTML: the sign-in page, the fleet page and the banner above the machine
// page's report (navigation, window form, download links). Every page is self-contained: its
// styles and script are inline and it loads nothing from anywhere (see dashboard_headers for
// the Content-Security-Policy that holds it to that).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pc/report/csp_hashes.hpp"
#include "pc/server/dashboard_window.hpp"

namespace pc::server {

// The sign-in form; `message` (plain text, escaped here) is shown above it when not empty.
std::string sign_in_page(std::string_view message);

// The fleet table, filled and refreshed every `refresh_seconds` by its script from
// GET /dashboard/fleet.json.
std::string fleet_page(int refresh_seconds);

// What sits above the machine's report: back to the fleet, sign-out, the window form (presets
// and a custom UTC range) and the two downloads for the window shown. `note` (plain text) is
// shown when not empty, e.g. that the window holds no records.
std::string machine_banner(std::string_view identifier, const DashboardWindow& window,
                           std::string_view note);

// The banner's style sheet: the report places it in a <style> block of its own
// (report::ReportOptions::banner_style), listed by hash like every inline block.
std::string_view machine_banner_style();

// Every inline script and style any dashboard page carries (its own pages' and the report's):
// the hashes set_dashboard_headers lists. Inline blocks are constants, so the list is too.
const report::CspHashes& dashboard_csp_hashes();

// A small page for errors met after sign-in (unknown machine, a bad window), with a way back.
std::string dashboard_error_page(std::string_view title, std::string_view message);

}  // namespace pc::server
