// The record codec against testdata/records/escaping.jsonl: lines written by hand the way Go's
// json.Encoder (HTML-safe) writes them, covering < > &, quotes and backslashes, control bytes,
// U+2028/U+2029 and invalid UTF-8. For each line we know the source bytes Go was given and the
// bytes a decoder must return.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "pc/record/codec.hpp"
#include "pc/record/collection_reader.hpp"
#include "test_support.hpp"

namespace {

struct Expected {
    std::int64_t timestamp;
    std::string subsystem;
    std::string source;   // the raw measurement before encoding
    std::string decoded;  // what decoding the line yields (source with invalid bytes as U+FFFD)
};

const std::string kReplacement = "\xef\xbf\xbd";  // U+FFFD, valid UTF-8

std::vector<Expected> expected_records() {
    const std::string r = kReplacement;
    const std::string cpuinfo = "processor\t: 0\nmodel name\t: <QEMU> Virtual CPU & Co\n";
    const std::string quotes = "say \"hi\" C:\\tmp a/b\n";
    static const char kControls[] =
        "nul\x00 soh\x01 bel\x07 bs\x08 tab\t lf\n vt\x0b ff\x0c cr\r esc\x1b us\x1f del\x7f end\n";
    const std::string controls(kControls, sizeof kControls - 1);  // keeps the NUL
    // U+2028 and U+2029 are escaped; their neighbours U+2027 and U+202A are not.
    const std::string separators =
        "Label:\xe2\x80\xa8 1 kB\xe2\x80\xa9 \xe2\x80\xa7 \xe2\x80\xaa\n";
    const std::string invalid_source =
        "  eth\xff"
        "0: 1 2\n bad\xfe\xc0\xaf e-acute=\xc3\xa9 trunc\xe2\x82 sur\xed\xa0\x80 "
        "big\xf4\x90\x80\x80 lone\x80\n";
    const std::string invalid_decoded = "  eth" + r + "0: 1 2\n bad" + r + r + r +
                                        " e-acute=\xc3\xa9 trunc" + r + r + " sur" + r + r + r +
                                        " big" + r + r + r + r + " lone" + r + "\n";
    const std::string literal_unicode =
        "model name\t: \xc2\xb5"
        "Arch\xe2\x84\xa2 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\n";
    const std::string statfs =
        "{\"mount_point\":\"/mnt/a<b>&c\",\"block_size\":4096,\"blocks_total\":9301568,"
        "\"blocks_free\":5874717,\"blocks_available\":5874717}\n";
    return {
        {1795321000, "/proc/cpuinfo", cpuinfo, cpuinfo},
        {1795321000, "container/docker/<id>&x", quotes, quotes},
        {1795321000, "/proc/stat", controls, controls},
        {1795321000, "/proc/meminfo", separators, separators},
        {1795321005, "/proc/net/dev", invalid_source, invalid_decoded},
        {1795321005, "/proc/cpuinfo", literal_unicode, literal_unicode},
        {1795321005, "statfs[*]", statfs, statfs},
    };
}

// The fixture's lines, each with its '\n'.
std::vector<std::string> fixture_lines() {
    const auto path = pc::test::source_dir() / "testdata" / "records" / "escaping.jsonl";
    const std::string text = pc::test::read_file(path);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        EXPECT_NE(nl, std::string::npos) << "last line has no newline";
        if (nl == std::string::npos) break;
        lines.push_back(text.substr(start, nl + 1 - start));
        start = nl + 1;
    }
    return lines;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST(EscapingFixture, EncodingTheSourceBytesReproducesEachLine) {
    const auto lines = fixture_lines();
    const auto expected = expected_records();
    ASSERT_EQ(lines.size(), expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        SCOPED_TRACE("line " + std::to_string(i + 1));
        const auto& e = expected[i];
        EXPECT_EQ(pc::record::encode_record(pc::record::Record{e.timestamp, e.subsystem, e.source}),
                  lines[i]);
    }
}

TEST(EscapingFixture, DecodesEachLineToTheExpectedBytes) {
    const auto lines = fixture_lines();
    const auto expected = expected_records();
    ASSERT_EQ(lines.size(), expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        SCOPED_TRACE("line " + std::to_string(i + 1));
        const auto& e = expected[i];
        const std::string_view line(lines[i].data(), lines[i].size() - 1);
        auto d = pc::record::decode_record(line);
        ASSERT_TRUE(d.record) << d.error;
        EXPECT_EQ(d.record->timestamp, e.timestamp);
        EXPECT_EQ(d.record->subsystem, e.subsystem);
        EXPECT_EQ(d.record->measurement, e.decoded);
    }
}

TEST(EscapingFixture, ReencodingTheDecodedRecordIsByteForByte) {
    const auto lines = fixture_lines();
    ASSERT_EQ(lines.size(), expected_records().size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        SCOPED_TRACE("line " + std::to_string(i + 1));
        const std::string_view line(lines[i].data(), lines[i].size() - 1);
        auto d = pc::record::decode_record(line);
        ASSERT_TRUE(d.record) << d.error;
        const std::string again = pc::record::encode_record(*d.record);
        if (lines[i].find("\\ufffd") == std::string::npos) {
            EXPECT_EQ(again, lines[i]);
        } else {
            // Go writes an invalid byte as \ufffd but a valid U+FFFD literally, so the decoded
            // replacement characters come back literal; from then on the line is stable.
            EXPECT_EQ(again, replace_all(lines[i], "\\ufffd", kReplacement));
            auto d2 = pc::record::decode_record(std::string_view(again.data(), again.size() - 1));
            ASSERT_TRUE(d2.record) << d2.error;
            EXPECT_EQ(*d2.record, *d.record);
            EXPECT_EQ(pc::record::encode_record(*d2.record), again);
        }
    }
}

TEST(EscapingFixture, CollectionReaderReadsEveryLine) {
    const auto path = pc::test::source_dir() / "testdata" / "records" / "escaping.jsonl";
    const auto expected = expected_records();
    pc::record::CollectionReader reader(path.string());
    pc::record::ReadItem item;
    std::size_t n = 0;
    while (reader.next(item)) {
        ASSERT_LT(n, expected.size());
        EXPECT_EQ(item.status, pc::record::LineStatus::ok) << item.error;
        EXPECT_EQ(item.line_number, n + 1);
        EXPECT_EQ(item.record.measurement, expected[n].decoded);
        ++n;
    }
    EXPECT_EQ(n, expected.size());
}
