// pcctl cpumeasure (the CPU capacity measurement on this host, the original perfcpumeasure's
// job) and pcctl loadtest (the same measurement on a pcd host, POST /v1/loadtest).
#pragma once

#include <CLI/CLI.hpp>

#include "pc/ctl/command.hpp"
#include "pc/measure/result.hpp"

namespace pc::ctl {

// The result as a table: one row per level, then the summary.
void print_measure_table(std::ostream& out, const measure::MeasureResult& result);

void register_measure_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
