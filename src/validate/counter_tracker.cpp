#include "pc/validate/counter_tracker.hpp"

namespace pc::validate {

bool CounterTracker::observe(std::string_view name, std::uint64_t value) {
    auto it = last_.find(std::string(name));
    if (it == last_.end()) {
        last_.emplace(std::string(name), value);
        return false;
    }
    bool went_back = value < it->second;
    it->second = value;
    return went_back;
}

void CounterTracker::forget_prefix(std::string_view prefix) {
    std::erase_if(last_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
}

}  // namespace pc::validate
