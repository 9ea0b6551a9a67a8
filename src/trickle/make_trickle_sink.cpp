// The entry point pcc uses for PCC_MODE=trickle.
#include "pc/trickle/trickle_options.hpp"
#include "pc/trickle/trickle_sink.hpp"

namespace pc {

std::unique_ptr<TickSink> make_trickle_sink(const TrickleOptions& options) {
    return std::make_unique<trickle::TrickleSink>(options);
}

}  // namespace pc
