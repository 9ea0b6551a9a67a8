// pcctl validate <collection>: the data-quality report of a collection file.
#pragma once

#include "pc/ctl/command.hpp"

namespace pc::ctl {

// Exit status of validate when the collection is corrupt or empty (or, with --strict, has
// warnings).
inline constexpr int kExitCorrupt = 2;

void register_validate_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions);

}  // namespace pc::ctl
