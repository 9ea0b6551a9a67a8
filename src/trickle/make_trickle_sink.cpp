#include "pc/trickle/make_trickle_sink.hpp"

#include "pc/trickle/trickle_sink.hpp"

namespace pc::trickle {

std::unique_ptr<record::TickSink> make_trickle_sink(const TrickleOptions& options) {
    return std::make_unique<TrickleSink>(options);
}

}  // namespace pc::trickle
