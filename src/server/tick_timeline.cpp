#include "pc/server/tick_timeline.hpp"

#include <algorithm>
#include <vector>

namespace pc::server {

void TickTimeline::add(std::int64_t timestamp) {
    if (last_ && timestamp == *last_) return;  // another record of the same tick
    ++ticks_;
    if (last_ && timestamp > *last_) {
        const std::int64_t step = timestamp - *last_;
        // Judged against the steps before it: a gap must not raise its own yardstick.
        if (auto f = interval(); f && *f > 0 && step >= 2 * *f && step >= *f + 2) ++gaps_;
        steps_.push_back(step);
        if (steps_.size() > kSteps) steps_.pop_front();
    }
    last_ = timestamp;
}

std::optional<std::int64_t> TickTimeline::interval() const {
    if (steps_.empty()) return std::nullopt;
    std::vector<std::int64_t> sorted(steps_.begin(), steps_.end());
    auto median = sorted.begin() + std::ssize(sorted) / 2;
    std::nth_element(sorted.begin(), median, sorted.end());
    return *median;
}

}  // namespace pc::server
