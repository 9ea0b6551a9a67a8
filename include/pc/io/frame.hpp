// The one CRC-framed record format of our on-disk logs: pcc's spool entries and pcd's commit
// log are runs of frames, read by one reader that tells a torn tail (what a crash in the
// middle of an append leaves: it may be cut) from corruption (a bad frame with data after it:
// it must be kept aside and reported).
//
// A frame, little-endian:
//   "PCF1"  u32 payload length  u32 CRC-32 (zlib's) of the payload     header, 12 bytes
//   payload
//   u32 payload length  "1FCP"                                         trailer, 8 bytes
// The trailer lets a reader walk a file backwards from its end, one frame at a time, without
// reading what comes before: what pcd's per-machine index needs to move onto this format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pc::io {

inline constexpr std::size_t kFrameHeader = 12;
inline constexpr std::size_t kFrameTrailer = 8;
inline constexpr std::size_t kFrameOverhead = kFrameHeader + kFrameTrailer;
// Bigger payloads are refused (a spool tick or a commit log group stays far below).
inline constexpr std::uint64_t kMaxFramePayload = std::uint64_t{1} << 31;

// CRC-32 (zlib's) of `data`, continuing from `crc` (the CRC of what came before).
std::uint32_t crc32_of(std::string_view data, std::uint32_t crc = 0);

// Appends one frame holding `payload` to `out`. Throws std::length_error above kMaxFramePayload.
void append_frame(std::string& out, std::string_view payload);
std::string encode_frame(std::string_view payload);

// How a run of frames ended.
enum class FrameEnd {
    clean,      // at the end of the bytes, after a whole frame (or no bytes at all)
    torn_tail,  // the bytes after the last good frame are an unfinished frame, or only zeros
    corrupt,    // a frame fails its checks and is not the last thing in the bytes
    stopped,    // the caller's function asked to stop
};
const char* to_string(FrameEnd end);

struct FrameScan {
    std::size_t frames = 0;       // good frames handed to the caller
    std::size_t valid_bytes = 0;  // length of the run of good frames from the start
    FrameEnd end = FrameEnd::clean;
    std::string problem;  // what is wrong at valid_bytes, for a log line; empty when clean
};

// Hands each good frame's payload (and where its frame starts) to `apply`, in order, until the
// bytes end, a frame fails its checks, or `apply` returns false.
FrameScan scan_frames(
    std::string_view bytes,
    const std::function<bool(std::string_view payload, std::size_t offset)>& apply);

// The payload of a file that holds exactly one frame (a spool entry); nullopt, with `scan`
// saying why, when it does not.
std::optional<std::string_view> decode_single_frame(std::string_view bytes,
                                                    FrameScan* scan = nullptr);

// True when `bytes` start like a frame (its magic): tells this format from older ones.
bool starts_with_frame(std::string_view bytes);

}  // namespace pc::io
