#include "pc/measure/work_unit.hpp"

#include <utility>

namespace pc::measure {

WorkArray::WorkArray() : data_(kElements) {
    for (std::size_t i = 0; i < kElements; ++i) data_[i] = i * 0x9E3779B97F4A7C15ull;
}

namespace {

// One step of the spin. The empty asm claims to read and change x in a register: the compiler
// must keep every step, in order, one element at a time (no folding, no vectorising).
inline void spin_step(std::uint64_t& x, std::uint64_t carry, std::uint64_t k) {
    x += carry + k;
    x ^= x >> 17;
    asm volatile("" : "+r"(x));
}

// The 17 steps written out (a fold over 0..16), so every optimisation level emits the same
// straight-line chain instead of a loop at -O2 and an unrolled one at -O3.
template <std::size_t... K>
inline void spin(std::uint64_t& x, std::uint64_t carry, std::index_sequence<K...>) {
    (spin_step(x, carry, K), ...);
}

}  // namespace

std::uint64_t WorkArray::run() {
    std::uint64_t* element = data_.data();
    std::uint64_t carry = carry_;
    for (std::size_t i = 0; i < kElements; ++i) {
        std::uint64_t x = element[i];  // read
        spin(x, carry, std::make_index_sequence<kSpin>{});
        element[i] = x;  // modify-write
        carry ^= x;
    }
    carry_ = carry;
    return carry;
}

}  // namespace pc::measure
