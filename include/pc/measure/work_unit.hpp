// One CPU work unit, the measurement's yardstick: a pass over a 512 KB array of 64-bit integers,
// each element spun 17 times through a dependent add/xor chain and written back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pc::measure {

class WorkArray {
public:
    static constexpr std::size_t kBytes = 512 * 1024;
    static constexpr std::size_t kElements = kBytes / sizeof(std::uint64_t);
    static constexpr int kSpin = 17;

    WorkArray();

    // One work unit. Returns a value that depends on every element, so nothing is dead code.
    std::uint64_t run();

    const std::vector<std::uint64_t>& data() const { return data_; }

private:
    std::vector<std::uint64_t> data_;
    std::uint64_t carry_ = 0;
};

}  // namespace pc::measure
