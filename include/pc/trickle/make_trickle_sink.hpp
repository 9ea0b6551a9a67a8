// The entry point pcc uses for PCC_MODE=trickle.
#pragma once

#include <memory>

#include "pc/record/tick_sink.hpp"
#include "pc/trickle/trickle_options.hpp"

namespace pc::trickle {

// Spools every tick durably and delivers it in the background. Throws core::UserError when the
// options are unusable (no key, bad URL, unwritable spool).
std::unique_ptr<record::TickSink> make_trickle_sink(const TrickleOptions& options);

}  // namespace pc::trickle
