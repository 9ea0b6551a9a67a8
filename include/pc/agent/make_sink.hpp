// The one place that turns pcc's mode into a sink: local collection file or trickle to pcd.
#pragma once

#include <memory>

#include "pc/agent/pcc_config.hpp"
#include "pc/record/tick_sink.hpp"

namespace pc::agent {

// Opens the sink for `config.mode`. Throws UserError when it cannot be used (missing directory,
// unwritable file, bad trickle settings), before any sampling starts.
std::unique_ptr<record::TickSink> make_sink(const PccConfig& config);

}  // namespace pc::agent
