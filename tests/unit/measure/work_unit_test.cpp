#include "pc/measure/work_unit.hpp"

#include <gtest/gtest.h>

namespace {

using pc::measure::WorkArray;

TEST(WorkUnit, IsA512KiBArrayOf64BitIntegers) {
    WorkArray a;
    EXPECT_EQ(a.data().size() * sizeof(std::uint64_t), 512u * 1024u);
}

TEST(WorkUnit, RewritesEveryElementDeterministically) {
    WorkArray a;
    WorkArray b;
    const auto before = a.data();
    const auto first = a.run();
    EXPECT_EQ(first, b.run());
    std::size_t changed = 0;
    for (std::size_t i = 0; i < before.size(); ++i) changed += before[i] != a.data()[i];
    EXPECT_GT(changed, before.size() - 8);  // a read-modify-write of (nearly) every element
    EXPECT_NE(a.run(), first);              // each unit starts from the last one's state
    EXPECT_EQ(a.data(), (b.run(), b.data()));
}

// The reference value of one element after one unit, computed independently: 17 steps of
// x += carry + k; x ^= x >> 17 with carry 0 for the first element (which starts at 0).
TEST(WorkUnit, FirstElementFollowsTheDocumentedSpin) {
    WorkArray a;
    a.run();
    std::uint64_t x = 0;
    for (std::uint64_t k = 0; k < 17; ++k) {
        x += k;
        x ^= x >> 17;
    }
    EXPECT_EQ(a.data()[0], x);
}

}  // namespace
