#include "pc/collect/make_sink.hpp"

#include "pc/collect/collection_file.hpp"
#include "pc/trickle/trickle_options.hpp"

namespace pc::collect {

std::unique_ptr<TickSink> make_sink(const PccConfig& config) {
    if (config.mode == PccMode::trickle) return make_trickle_sink(make_trickle_options(config));
    return std::make_unique<CollectionFile>(config.collection, "PCC_COLLECTION");
}

}  // namespace pc::collect
