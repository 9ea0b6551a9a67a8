// Every real collection decodes without error, and re-encoding reproduces each line exactly.
#include <gtest/gtest.h>

#include <filesystem>

#include "pc/record/codec.hpp"
#include "pc/record/collection_reader.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

TEST(GoldenRecords, ReencodeByteForByte) {
    auto golden = pc::test::golden_dir();
    if (!golden) GTEST_SKIP() << "shared golden data not found (set PC_SHARED_DIR to ../shared)";
    int cases = 0;
    for (const auto& entry : fs::directory_iterator(*golden)) {
        auto path = entry.path() / "collection.json";
        if (!fs::exists(path)) continue;
        ++cases;
        pc::record::LineSource source(path.string());
        std::string_view line;
        bool complete = false;
        std::uint64_t lines = 0;
        while (source.next(line, complete)) {
            ++lines;
            ASSERT_TRUE(complete) << path << ":" << source.line_number();
            auto decoded = pc::record::decode_record(line);
            ASSERT_TRUE(decoded.record)
                << path << ":" << source.line_number() << ": " << decoded.error;
            std::string again = pc::record::encode_record(*decoded.record);
            ASSERT_EQ(again, std::string(line) + "\n") << path << ":" << source.line_number();
        }
        EXPECT_GT(lines, 0u) << path;
    }
    EXPECT_GE(cases, 6);
}
