#include "pc/store/batch_index.hpp"

#include <gtest/gtest.h>

#include "pc/store/recent_batches.hpp"

using pc::store::IndexEntry;

TEST(BatchIndex, LineRoundTripsWithAndWithoutBatchId) {
    IndexEntry e{100,
                 42,
                 0xdeadbeef,
                 3,
                 9,
                 1700000000,
                 1700000010,
                 1700000011123,
                 std::string("agent 1\n\"x\"-7")};
    std::string line;
    pc::store::append_index_line(e, line);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line even with a newline in batch_id";
    EXPECT_TRUE(line.starts_with("100 42 deadbeef 3 9 1700000000 1700000010 1700000011123 \""));
    auto back = pc::store::parse_index_line(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, e);

    e.batch_id.reset();
    line.clear();
    pc::store::append_index_line(e, line);
    EXPECT_EQ(line, "100 42 deadbeef 3 9 1700000000 1700000010 1700000011123 -\n");
    back = pc::store::parse_index_line(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, e);
}

TEST(BatchIndex, TornOrGarbledLinesAreRejected) {
    for (const char* bad : {"", "100 42", "100 42 deadbeef 3 9 1 2 3", "100 42 zz 3 9 1 2 3 -",
                            "100 42 deadbeef 3 9 1 2 3 \"abc", "x 42 deadbeef 3 9 1 2 3 -",
                            "100 42 deadbeef 3 9 1 2 3 \"\""}) {
        EXPECT_FALSE(pc::store::parse_index_line(bad)) << bad;
    }
}

TEST(BatchIndex, Crc32MatchesKnownValueAndContinues) {
    // The standard CRC-32 check value of "123456789".
    EXPECT_EQ(pc::store::crc32_of("123456789"), 0xCBF43926u);
    EXPECT_EQ(pc::store::crc32_of("56789", pc::store::crc32_of("1234")), 0xCBF43926u);
}

TEST(RecentBatches, ForgetsTheOldestBeyondCapacity) {
    pc::store::RecentBatches recent(2);
    recent.add("a");
    recent.add("b");
    recent.add("a");  // already known: no change
    EXPECT_TRUE(recent.contains("a"));
    recent.add("c");
    EXPECT_FALSE(recent.contains("a"));
    EXPECT_TRUE(recent.contains("b"));
    EXPECT_TRUE(recent.contains("c"));
    EXPECT_EQ(recent.size(), 2u);
}
