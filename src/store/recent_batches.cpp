#include "pc/store/recent_batches.hpp"

namespace pc::store {

void RecentBatches::add(const std::string& batch_id) {
    if (capacity_ == 0 || !set_.insert(batch_id).second) return;
    order_.push_back(batch_id);
    if (order_.size() > capacity_) {
        set_.erase(order_.front());
        order_.pop_front();
    }
}

}  // namespace pc::store
