// Streaming, line-numbered reader of a collection file (plain or gzip, or "-" for stdin).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "pc/record/record.hpp"

namespace pc::record {

enum class LineStatus {
    ok,         // record holds the decoded line
    malformed,  // a complete line that does not decode; error says why
    truncated,  // the last line has no '\n' and does not decode: a crash mid-write
};

struct ReadItem {
    Record record;
    std::uint64_t line_number = 0;  // 1-based
    LineStatus status = LineStatus::ok;
    std::string error;
};

// Reads lines with memory bounded by the longest line. Blank lines are skipped.
class LineSource {
public:
    // "-" reads standard input. gzip input is detected and decompressed transparently.
    // Throws UserError naming the path when it cannot be opened.
    explicit LineSource(const std::string& path);
    ~LineSource();
    LineSource(const LineSource&) = delete;
    LineSource& operator=(const LineSource&) = delete;

    // Next line without its '\n'. `complete` is false for a last line with no '\n'.
    // The view stays valid until the next call. Returns false at end of input.
    // Throws UserError on a read or decompression error.
    bool next(std::string_view& line, bool& complete);
    std::uint64_t line_number() const { return line_number_; }
    std::uint64_t bytes_read() const { return bytes_read_; }

private:
    bool fill();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_;
    std::string buffer_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    std::uint64_t line_number_ = 0;
    std::uint64_t bytes_read_ = 0;
};

class CollectionReader {
public:
    explicit CollectionReader(const std::string& path) : source_(path) {}
    // Next non-blank line decoded; false at end of input.
    bool next(ReadItem& item);
    std::uint64_t bytes_read() const { return source_.bytes_read(); }

private:
    LineSource source_;
};

}  // namespace pc::record
