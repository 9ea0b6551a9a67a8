#include "pc/measure/work_unit.hpp"

namespace pc::measure {

WorkArray::WorkArray() : data_(kElements) {
    for (std::size_t i = 0; i < kElements; ++i) data_[i] = i * 0x9E3779B97F4A7C15ull;
}

std::uint64_t WorkArray::run() {
    std::uint64_t* element = data_.data();
    std::uint64_t carry = carry_;
    for (std::size_t i = 0; i < kElements; ++i) {
        std::uint64_t x = element[i];
        for (int k = 0; k < kSpin; ++k) {
            x += carry + static_cast<std::uint64_t>(k);
            x ^= x >> 17;
            // The empty asm claims to read and change x in a register: the compiler must keep
            // all 17 steps, in order, one element at a time (no folding, no vectorising), the
            // same way at every optimisation level.
            asm volatile("" : "+r"(x));
        }
        element[i] = x;
        carry ^= x;
    }
    carry_ = carry;
    return carry;
}

}  // namespace pc::measure
