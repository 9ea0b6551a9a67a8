// The dashboard's own HTML: the sign-in page, the fleet page and the banner above the machine
// page's report (navigation, window form, download links). Every page is self-contained: its
// styles and script are inline and it loads nothing from anywhere (see dashboard_headers for
// the Content-Security-Policy that holds it to that).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

// A small page for errors met after sign-in (unknown machine, a bad window), with a way back.
std::string dashboard_error_page(std::string_view title, std::string_view message);

}  // namespace pc::server
