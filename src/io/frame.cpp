#include "pc/io/frame.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace pc::io {

namespace {

constexpr std::string_view kHeadMagic = "PCF1";
constexpr std::string_view kTailMagic = "1FCP";

void put32(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t get32(std::string_view in, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        v |= static_cast<std::uint32_t>(
                 static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)]))
             << (8 * i);
    }
    return v;
}

std::string check_frame(std::string_view rest, std::uint32_t& length, bool& whole);

// Whether a good frame starts somewhere after the first byte of `rest`: then what is wrong at
// its start is damage (a broken length, say), not the end of an interrupted append.
bool good_frame_later(std::string_view rest) {
    for (auto at = rest.find(kHeadMagic, 1); at != std::string_view::npos;
         at = rest.find(kHeadMagic, at + 1)) {
        std::uint32_t length = 0;
        bool whole = false;
        if (check_frame(rest.substr(at), length, whole).empty()) return true;
    }
    return false;
}

bool only_zeros(std::string_view bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
}

// What is wrong with the frame at the start of `rest`; empty when it is good. `whole` is set to
// whether the bytes hold all of the frame the header announces.
std::string check_frame(std::string_view rest, std::uint32_t& length, bool& whole) {
    whole = false;
    if (rest.size() < kFrameHeader) return "an unfinished frame header";
    if (rest.substr(0, 4) != kHeadMagic) return "no frame header";
    length = get32(rest, 4);
    if (rest.size() < kFrameOverhead || rest.size() - kFrameOverhead < length)
        return "a frame shorter than its header says";
    whole = true;
    const std::string_view payload = rest.substr(kFrameHeader, length);
    const std::string_view trailer = rest.substr(kFrameHeader + length, kFrameTrailer);
    if (get32(trailer, 0) != length || trailer.substr(4) != kTailMagic)
        return "a frame whose trailer does not match its header";
    if (crc32_of(payload) != get32(rest, 8)) return "a frame whose checksum does not match";
    return {};
}

}  // namespace

std::uint32_t crc32_of(std::string_view data, std::uint32_t initial) {
    uLong crc = initial;
    // zlib takes uInt lengths: feed large inputs in pieces.
    while (!data.empty()) {
        auto n = static_cast<uInt>(std::min<std::size_t>(data.size(), 1u << 30));
        crc = ::crc32(crc, reinterpret_cast<const Bytef*>(data.data()), n);
        data.remove_prefix(n);
    }
    return static_cast<std::uint32_t>(crc);
}

void append_frame(std::string& out, std::string_view payload) {
    if (payload.size() > kMaxFramePayload) throw std::length_error("frame payload too large");
    out.reserve(out.size() + payload.size() + kFrameOverhead);
    out += kHeadMagic;
    put32(out, payload.size());
    put32(out, crc32_of(payload));
    out += payload;
    put32(out, payload.size());
    out += kTailMagic;
}

std::string encode_frame(std::string_view payload) {
    std::string out;
    append_frame(out, payload);
    return out;
}

const char* to_string(FrameEnd end) {
    switch (end) {
        case FrameEnd::clean:
            return "clean";
        case FrameEnd::torn_tail:
            return "torn tail";
        case FrameEnd::corrupt:
            return "corrupt";
        case FrameEnd::stopped:
            return "stopped";
    }
    return "?";
}

FrameScan scan_frames(std::string_view bytes,
                      const std::function<bool(std::string_view, std::size_t)>& apply) {
    FrameScan scan;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::string_view rest = bytes.substr(pos);
        std::uint32_t length = 0;
        bool whole = false;
        std::string problem = check_frame(rest, length, whole);
        if (!problem.empty()) {
            // A crash in the middle of an append leaves a prefix of the frame, or (when the
            // file's size reached the disk before its data) zeros, or a whole frame with some
            // of its bytes missing: all at the very end. Anything else is damage.
            bool torn = false;
            if (only_zeros(rest)) {
                torn = true;
            } else if (rest.size() < kHeadMagic.size()) {
                torn = kHeadMagic.starts_with(rest);
            } else if (rest.substr(0, kHeadMagic.size()) == kHeadMagic) {
                const std::size_t frame_end = whole ? kFrameOverhead + length : rest.size();
                torn = frame_end >= rest.size() && !good_frame_later(rest);
            }
            scan.end = torn ? FrameEnd::torn_tail : FrameEnd::corrupt;
            scan.problem = std::move(problem) + " at byte " + std::to_string(pos);
            break;
        }
        if (!apply(rest.substr(kFrameHeader, length), pos)) {
            scan.end = FrameEnd::stopped;
            break;
        }
        ++scan.frames;
        pos += kFrameOverhead + length;
        scan.valid_bytes = pos;
    }
    return scan;
}

std::optional<std::string_view> decode_single_frame(std::string_view bytes, FrameScan* how) {
    std::optional<std::string_view> payload;
    FrameScan scan = scan_frames(bytes, [&](std::string_view p, std::size_t) {
        if (payload) return false;  // a second frame: not a single-frame file
        payload = p;
        return true;
    });
    // A single-frame file is written whole (temp file, rename): anything after its frame is
    // damage, not the end of an interrupted append.
    if (scan.end == FrameEnd::stopped || (payload && scan.valid_bytes < bytes.size())) {
        scan.end = FrameEnd::corrupt;
        scan.problem = "bytes after the frame at byte " + std::to_string(scan.valid_bytes);
    }
    if (scan.end == FrameEnd::clean && !payload) {
        scan.end = FrameEnd::torn_tail;
        scan.problem = "no frame";
    }
    if (how) *how = scan;
    if (scan.end != FrameEnd::clean) return std::nullopt;
    return payload;
}

bool starts_with_frame(std::string_view bytes) {
    return bytes.substr(0, kHeadMagic.size()) == kHeadMagic;
}

}  // namespace pc::io
