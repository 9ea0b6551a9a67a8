#include "pc/store/batch_index.hpp"

#include <gtest/gtest.h>

#include "pc/io/frame.hpp"
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
    pc::store::append_index_text(e, line);
    EXPECT_EQ(line.find('\n'), std::string::npos) << "one line even with a newline in batch_id";
    EXPECT_TRUE(line.starts_with("100 42 deadbeef 3 9 1700000000 1700000010 1700000011123 \""));
    auto back = pc::store::parse_index_line(line);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, e);

    e.batch_id.reset();
    line.clear();
    pc::store::append_index_text(e, line);
    EXPECT_EQ(line, "100 42 deadbeef 3 9 1700000000 1700000010 1700000011123 -");
    back = pc::store::parse_index_line(line);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, e);
}

TEST(BatchIndex, AnEntryIsOneFrameHoldingItsText) {
    const IndexEntry e{0, 10, 0xabc, 1, 1, 5, 5, 9, std::string("b-1")};
    std::string stored;
    pc::store::append_index_entry(e, stored);
    std::string text;
    pc::store::append_index_text(e, text);
    EXPECT_EQ(stored, pc::io::encode_frame(text));
    EXPECT_FALSE(pc::store::is_legacy_index(stored));
    EXPECT_TRUE(pc::store::is_legacy_index(text + "\n"));
    EXPECT_FALSE(pc::store::is_legacy_index(""));
}

// Indexes of pcd versions before the frame format: text lines, converted entry by entry.
TEST(BatchIndex, IndexesOfOlderVersionsAreConverted) {
    const IndexEntry a{0, 10, 0xabc, 1, 1, 5, 5, 9, std::string("b-1")};
    const IndexEntry b{10, 20, 0xdef, 2, 3, 6, 7, 10, std::nullopt};
    std::string old_a, old_b;
    pc::store::append_index_text(a, old_a);
    pc::store::append_index_text(b, old_b);
    std::string expected;
    pc::store::append_index_entry(a, expected);
    pc::store::append_index_entry(b, expected);

    auto converted = pc::store::convert_legacy_index(old_a + "\n" + old_b + "\n");
    EXPECT_TRUE(converted.whole);
    EXPECT_EQ(converted.entries, 2u);
    EXPECT_EQ(converted.framed, expected);
    // A torn last line (a crash while it was written) was never acknowledged: left out.
    converted = pc::store::convert_legacy_index(old_a + "\n" + old_b + "\n" + old_a.substr(0, 7));
    EXPECT_TRUE(converted.whole);
    EXPECT_EQ(converted.framed, expected);
    // A line that cannot be read, with more after it: not whole.
    converted = pc::store::convert_legacy_index(old_a + "\nnot an entry\n" + old_b + "\n");
    EXPECT_FALSE(converted.whole);
    EXPECT_EQ(converted.problem, "line 2 cannot be read");
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
