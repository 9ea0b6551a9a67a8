#include "pc/record/codec.hpp"

#include <gtest/gtest.h>

#include "pc/record/collection_reader.hpp"
#include "pc/record/go_json.hpp"
#include "test_support.hpp"

TEST(Codec, EncodesOriginalLayout) {
    pc::record::Record r{1767800521, "/proc/stat", "cpu  1 2\nintr 3\n"};
    EXPECT_EQ(pc::record::encode_record(r),
              "{\"timestamp\":1767800521,\"subsystem\":\"/proc/stat\",\"measurement\":\"cpu  1 "
              "2\\nintr 3\\n\"}\n");
}

TEST(Codec, StatfsMeasurementIsEscapedAgain) {
    pc::record::Record r{5, "statfs[*]", "{\"mount_point\":\"/\",\"block_size\":4096}\n"};
    EXPECT_EQ(pc::record::encode_record(r),
              "{\"timestamp\":5,\"subsystem\":\"statfs[*]\",\"measurement\":\"{\\\"mount_point\\\":"
              "\\\"/\\\",\\\"block_size\\\":4096}\\n\"}\n");
}

TEST(Codec, DecodesCanonicalAndGenericForms) {
    auto a = pc::record::decode_record(
        "{\"timestamp\":7,\"subsystem\":\"/proc/meminfo\",\"measurement\":\"MemTotal: 1 kB\\n\"}");
    ASSERT_TRUE(a.record);
    EXPECT_EQ(a.record->timestamp, 7);
    EXPECT_EQ(a.record->measurement, "MemTotal: 1 kB\n");
    auto b = pc::record::decode_record(
        "{ \"measurement\": \"x\", \"subsystem\": \"s\", \"timestamp\": -3, \"extra\": 1 }\r");
    ASSERT_TRUE(b.record);
    EXPECT_EQ(b.record->timestamp, -3);
    EXPECT_EQ(b.record->subsystem, "s");
}

TEST(Codec, RejectsMalformedWithReason) {
    for (const char* bad :
         {"", "{", "[]", "{\"timestamp\":\"1\",\"subsystem\":\"s\",\"measurement\":\"m\"}",
          "{\"timestamp\":1,\"measurement\":\"m\"}",
          "{\"timestamp\":1,\"subsystem\":\"s\",\"measurement\":\"m"}) {
        auto r = pc::record::decode_record(bad);
        EXPECT_FALSE(r.record) << bad;
        EXPECT_FALSE(r.error.empty()) << bad;
    }
}

TEST(Codec, RoundTripsHostileText) {
    std::string text;
    for (int c = 0; c < 256; ++c) text += static_cast<char>(c);
    text += "\xe2\x80\xa8\xe2\x80\xa9";
    pc::record::Record r{1, "sub<&>", text};
    auto line = pc::record::encode_record(r);
    ASSERT_EQ(line.back(), '\n');
    auto back = pc::record::decode_record(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(back.record);
    // Invalid UTF-8 bytes (0x80-0xff alone) come back as U+FFFD, as Go would write them.
    EXPECT_EQ(back.record->measurement.substr(0, 128), text.substr(0, 128));
    EXPECT_EQ(back.record->subsystem, "sub<&>");
    std::string replacement;
    for (int i = 0; i < 128; ++i) replacement += "\xef\xbf\xbd";
    EXPECT_EQ(back.record->measurement.substr(128), replacement + "\xe2\x80\xa8\xe2\x80\xa9");
    // A valid U+FFFD is literal in Go's output; re-encoding is then stable.
    auto again = pc::record::encode_record(*back.record);
    auto back2 = pc::record::decode_record(std::string_view(again).substr(0, again.size() - 1));
    ASSERT_TRUE(back2.record);
    EXPECT_EQ(pc::record::encode_record(*back2.record), again);
}

TEST(CollectionReader, ReportsMalformedAndTruncatedLines) {
    pc::test::TempDir dir;
    auto p = dir / "c.json";
    std::string good = pc::record::encode_record(pc::record::Record{1, "/proc/stat", "cpu 1\n"});
    pc::test::write_file(p, good + "garbage\n\n" + good + "{\"timestamp\":2,\"subsys");
    pc::record::CollectionReader reader(p.string());
    pc::record::ReadItem item;
    ASSERT_TRUE(reader.next(item));
    EXPECT_EQ(item.status, pc::record::LineStatus::ok);
    EXPECT_EQ(item.line_number, 1u);
    ASSERT_TRUE(reader.next(item));
    EXPECT_EQ(item.status, pc::record::LineStatus::malformed);
    EXPECT_EQ(item.line_number, 2u);
    ASSERT_TRUE(reader.next(item));
    EXPECT_EQ(item.status, pc::record::LineStatus::ok);
    EXPECT_EQ(item.line_number, 4u);
    ASSERT_TRUE(reader.next(item));
    EXPECT_EQ(item.status, pc::record::LineStatus::truncated);
    EXPECT_EQ(item.line_number, 5u);
    EXPECT_FALSE(reader.next(item));
}

TEST(CollectionReader, ReadsGzipTransparently) {
    pc::test::TempDir dir;
    std::string content;
    for (int i = 0; i < 1000; ++i)
        content += pc::record::encode_record(
            pc::record::Record{i, "/proc/stat", "cpu " + std::to_string(i) + "\n"});
    pc::test::write_file(dir / "c.json", content);
    auto r = pc::test::run({"/bin/sh", "-c", "gzip -k " + (dir / "c.json").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    pc::record::CollectionReader reader((dir / "c.json.gz").string());
    pc::record::ReadItem item;
    int n = 0;
    while (reader.next(item)) {
        ASSERT_EQ(item.status, pc::record::LineStatus::ok);
        EXPECT_EQ(item.record.timestamp, n);
        ++n;
    }
    EXPECT_EQ(n, 1000);
}

TEST(CollectionReader, MissingFileIsUserError) {
    EXPECT_THROW(pc::record::CollectionReader("/nonexistent/collection.json"), std::runtime_error);
}

TEST(Codec, MeasurementAlreadyEscapedIsCopied) {
    const std::string text = "{\"name\":\"a\\\"<b>\"}\n";
    pc::record::Record plain{1767800521, "container/docker/0123456789ab", text};
    std::string escaped;
    pc::record::append_go_json_string(escaped, text);
    pc::record::Record json{1767800521, "container/docker/0123456789ab", escaped, true};
    EXPECT_EQ(pc::record::encode_record(json), pc::record::encode_record(plain));
    EXPECT_EQ(pc::record::measurement_text(json), text);
    EXPECT_EQ(pc::record::measurement_text(plain), text);
    // what a decoder gives back is the plain form
    std::string line = pc::record::encode_record(json);
    line.pop_back();  // the '\n'
    auto back = pc::record::decode_record(line);
    ASSERT_TRUE(back.record);
    EXPECT_EQ(*back.record, plain);
}
