#include "pc/io/frame.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

using pc::io::FrameEnd;
using pc::io::FrameScan;

namespace {

struct Scanned {
    std::vector<std::string> payloads;
    std::vector<std::size_t> offsets;
    FrameScan scan;
};

Scanned scan(std::string_view bytes) {
    Scanned out;
    out.scan = pc::io::scan_frames(bytes, [&](std::string_view payload, std::size_t offset) {
        out.payloads.emplace_back(payload);
        out.offsets.push_back(offset);
        return true;
    });
    return out;
}

std::string three_frames() {
    std::string out;
    pc::io::append_frame(out, "first");
    pc::io::append_frame(out, "");
    pc::io::append_frame(out, std::string(1000, 'x') + "\n{\"json\":1}\n");
    return out;
}

}  // namespace

TEST(Frame, LayoutIsMagicLengthCrcPayloadLengthMagic) {
    const std::string frame = pc::io::encode_frame("abc");
    ASSERT_EQ(frame.size(), 3 + pc::io::kFrameOverhead);
    EXPECT_EQ(frame.substr(0, 4), "PCF1");
    EXPECT_EQ(frame.substr(4, 4), std::string("\x03\x00\x00\x00", 4));
    const auto crc =
        static_cast<std::uint32_t>(::crc32(0L, reinterpret_cast<const Bytef*>("abc"), 3));
    std::string crc_bytes;
    for (int i = 0; i < 4; ++i) crc_bytes.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    EXPECT_EQ(frame.substr(8, 4), crc_bytes);
    EXPECT_EQ(frame.substr(12, 3), "abc");
    EXPECT_EQ(frame.substr(15, 4), std::string("\x03\x00\x00\x00", 4));
    EXPECT_EQ(frame.substr(19), "1FCP");
    EXPECT_TRUE(pc::io::starts_with_frame(frame));
    EXPECT_FALSE(pc::io::starts_with_frame("PCSPOOL1 3 00000000\nabc"));
}

TEST(Frame, CrcContinuesAcrossPieces) {
    const std::string all = "hello, world";
    EXPECT_EQ(pc::io::crc32_of(all), pc::io::crc32_of("world", pc::io::crc32_of("hello, ")));
    EXPECT_EQ(pc::io::crc32_of(""), 0u);
}

TEST(Frame, ScanReturnsEveryPayloadInOrder) {
    const std::string bytes = three_frames();
    const auto s = scan(bytes);
    ASSERT_EQ(s.payloads.size(), 3u);
    EXPECT_EQ(s.payloads[0], "first");
    EXPECT_EQ(s.payloads[1], "");
    EXPECT_EQ(s.payloads[2], std::string(1000, 'x') + "\n{\"json\":1}\n");
    EXPECT_EQ(s.offsets, (std::vector<std::size_t>{0, 25, 45}));
    EXPECT_EQ(s.scan.end, FrameEnd::clean);
    EXPECT_EQ(s.scan.frames, 3u);
    EXPECT_EQ(s.scan.valid_bytes, bytes.size());
    EXPECT_TRUE(s.scan.problem.empty());
    EXPECT_EQ(scan("").scan.end, FrameEnd::clean);
}

// Every prefix of a run of frames (what a crash during an append leaves) is a torn tail after
// the whole frames it holds, never corruption.
TEST(Frame, EveryCutIsATornTailAfterTheWholeFrames) {
    const std::string bytes = three_frames();
    const std::vector<std::size_t> ends{25, 45, bytes.size()};
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        const auto s = scan(std::string_view(bytes).substr(0, cut));
        std::size_t whole = 0;
        while (whole < ends.size() && ends[whole] <= cut) ++whole;
        EXPECT_EQ(s.payloads.size(), whole) << cut;
        EXPECT_EQ(s.scan.valid_bytes, whole == 0 ? 0 : ends[whole - 1]) << cut;
        EXPECT_EQ(s.scan.end, cut == s.scan.valid_bytes ? FrameEnd::clean : FrameEnd::torn_tail)
            << cut;
    }
}

// A file whose size reached the disk before its last write's data reads zeros there.
TEST(Frame, ZerosAfterTheFramesAreATornTail) {
    const std::string bytes = three_frames() + std::string(4096, '\0');
    const auto s = scan(bytes);
    EXPECT_EQ(s.payloads.size(), 3u);
    EXPECT_EQ(s.scan.end, FrameEnd::torn_tail);
    EXPECT_NE(s.scan.problem.find("no frame header at byte 1077"), std::string::npos)
        << s.scan.problem;
}

// The last frame whole but with bytes changed (a torn page): a torn tail.
TEST(Frame, ADamagedLastFrameIsATornTail) {
    std::string bytes = three_frames();
    bytes[bytes.size() - 30] ^= 0x20;
    const auto s = scan(bytes);
    EXPECT_EQ(s.payloads.size(), 2u);
    EXPECT_EQ(s.scan.valid_bytes, 45u);
    EXPECT_EQ(s.scan.end, FrameEnd::torn_tail);
    EXPECT_NE(s.scan.problem.find("checksum"), std::string::npos) << s.scan.problem;
}

// A bad frame with good frames after it is damage, wherever the damage is.
TEST(Frame, ABadFrameFollowedByMoreIsCorruption) {
    const std::string good = three_frames();
    struct Damage {
        std::size_t at;
        const char* what;
    };
    for (const Damage d : {Damage{0, "no frame header"}, Damage{5, "shorter than its header"},
                           Damage{14, "checksum"}, Damage{21, "trailer"}}) {
        std::string bytes = good;
        bytes[d.at] = static_cast<char>(bytes[d.at] ^ 0x41);
        const auto s = scan(bytes);
        EXPECT_EQ(s.scan.end, FrameEnd::corrupt) << d.at << ": " << s.scan.problem;
        EXPECT_EQ(s.payloads.size(), 0u) << d.at;
        EXPECT_EQ(s.scan.valid_bytes, 0u) << d.at;
        EXPECT_NE(s.scan.problem.find(d.what), std::string::npos) << d.at << ": " << s.scan.problem;
    }
}

// Bytes that no interrupted append leaves (they do not start a frame) are damage, even at the
// end.
TEST(Frame, BytesThatStartNoFrameAreCorruption) {
    const std::string bytes = three_frames();
    for (const std::string tail : {"garbage", "x", "PCX", "\n\n\n\n\n"}) {
        const auto s = scan(bytes + tail);
        EXPECT_EQ(s.payloads.size(), 3u) << tail;
        EXPECT_EQ(s.scan.end, FrameEnd::corrupt) << tail;
    }
    EXPECT_EQ(scan(bytes + "PC").scan.end, FrameEnd::torn_tail);
}

TEST(Frame, TheCallerCanStopTheScan) {
    const std::string bytes = three_frames();
    int seen = 0;
    const auto s =
        pc::io::scan_frames(bytes, [&](std::string_view, std::size_t) { return ++seen < 2; });
    EXPECT_EQ(s.end, FrameEnd::stopped);
    EXPECT_EQ(s.frames, 1u);
    EXPECT_EQ(s.valid_bytes, 25u);
}

TEST(Frame, SingleFrameFiles) {
    FrameScan how;
    const std::string frame = pc::io::encode_frame("tick");
    auto payload = pc::io::decode_single_frame(frame, &how);
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, "tick");
    EXPECT_EQ(how.end, FrameEnd::clean);

    EXPECT_FALSE(pc::io::decode_single_frame("", &how));
    EXPECT_EQ(how.end, FrameEnd::torn_tail);
    EXPECT_FALSE(pc::io::decode_single_frame(pc::io::encode_frame("tick").substr(0, 10), &how));
    EXPECT_EQ(how.end, FrameEnd::torn_tail);
    EXPECT_FALSE(pc::io::decode_single_frame(three_frames(), &how));
    EXPECT_EQ(how.end, FrameEnd::corrupt);
    EXPECT_NE(how.problem.find("bytes after the frame"), std::string::npos) << how.problem;
}

TEST(Frame, NamesOfTheEnds) {
    EXPECT_STREQ(pc::io::to_string(FrameEnd::clean), "clean");
    EXPECT_STREQ(pc::io::to_string(FrameEnd::torn_tail), "torn tail");
    EXPECT_STREQ(pc::io::to_string(FrameEnd::corrupt), "corrupt");
    EXPECT_STREQ(pc::io::to_string(FrameEnd::stopped), "stopped");
}
