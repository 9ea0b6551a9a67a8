// Detects cumulative counters that go backwards between consecutive samples (a reset).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pc::validate {

class CounterTracker {
public:
    // Records `value` for `name`; returns true when an earlier value of `name` was larger.
    bool observe(std::string_view name, std::uint64_t value);
    // Forgets every value (after a reboot, when every counter restarts).
    void clear() { last_.clear(); }
    // Forgets the values whose names start with `prefix` (a container that went away).
    void forget_prefix(std::string_view prefix);

private:
    std::unordered_map<std::string, std::uint64_t> last_;
};

}  // namespace pc::validate
