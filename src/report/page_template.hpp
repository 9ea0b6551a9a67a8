// Private to the report module: the page's own style sheet and script (the charts themselves
// are dygraphs', see assets.hpp).
#pragma once

#include <string_view>

namespace pc::report::page {

extern const std::string_view kStyle;
// Reads the JSON of <script id="pc-data">, draws every chart with dygraphs (a heat map of
// canvas cells for many CPUs), synchronises their time axes, then sets body.dataset.pcPoints,
// pcDrawMs (the script's time), pcReadyMs (since navigation started) and, last, pcCharts.
extern const std::string_view kScript;
// First script of the page: window.pcErrors collects every uncaught error's message.
extern const std::string_view kErrorHook;

}  // namespace pc::report::page
