// The last N batch_ids stored for one machine: the window in which a resend is recognised.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace pc::store {

class RecentBatches {
public:
    explicit RecentBatches(std::size_t capacity) : capacity_(capacity) {}

    bool contains(const std::string& batch_id) const { return set_.count(batch_id) != 0; }
    // Remembers `batch_id`, forgetting the oldest when the window is full.
    void add(const std::string& batch_id);
    std::size_t size() const { return order_.size(); }

private:
    std::size_t capacity_;
    std::deque<std::string> order_;
    std::unordered_set<std::string> set_;
};

}  // namespace pc::store
