#include "pc/agent/make_sink.hpp"

#include "pc/collect/collection_file.hpp"
#include "pc/collect/rotating_collection.hpp"
#include "pc/trickle/make_trickle_sink.hpp"

namespace pc::agent {

std::unique_ptr<record::TickSink> make_sink(const PccConfig& config) {
    if (config.mode == PccMode::trickle)
        return trickle::make_trickle_sink(make_trickle_options(config));
    if (config.rotate != collect::RotateEvery::never) {
        return std::make_unique<collect::RotatingCollection>(
            config.collection,
            collect::RotateOptions{config.rotate, config.rotate_bytes, config.keep},
            "PCC_COLLECTION");
    }
    return std::make_unique<collect::CollectionFile>(config.collection, "PCC_COLLECTION");
}

}  // namespace pc::agent
