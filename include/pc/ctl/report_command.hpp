// pcctl report: the HTML report of a machine's stored collection (fetched from pcd for a time
// window) or of a local collection file, rendered by the report module as pcprocess does.
#pragma once

#include "pc/ctl/command.hpp"

namespace pc::ctl {

void register_report_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
