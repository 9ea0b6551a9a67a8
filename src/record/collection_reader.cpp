#include "pc/record/collection_reader.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"

namespace pc::record {

namespace {
constexpr std::size_t kChunk = 1 << 18;
}

struct LineSource::Impl {
    gzFile gz = nullptr;
};

LineSource::LineSource(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
    int fd = path == "-" ? ::dup(0) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw core::UserError("cannot open collection " + path + ": " + core::errno_text(errno) +
                              "; check PCR_COLLECTION / the path given");
    }
    // zlib reads plain files unchanged and decompresses gzip ones (including concatenated members).
    impl_->gz = ::gzdopen(fd, "rb");
    if (!impl_->gz) {
        ::close(fd);
        throw core::UserError("cannot open collection " + path + ": out of memory");
    }
    ::gzbuffer(impl_->gz, kChunk);
}

LineSource::~LineSource() {
    if (impl_ && impl_->gz) ::gzclose(impl_->gz);
}

bool LineSource::fill() {
    if (eof_) return false;
    // Drop consumed bytes, keep the partial line.
    buffer_.erase(0, pos_);
    pos_ = 0;
    std::size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    int n = ::gzread(impl_->gz, buffer_.data() + old, static_cast<unsigned>(kChunk));
    if (n < 0) {
        int errnum = 0;
        const char* msg = ::gzerror(impl_->gz, &errnum);
        buffer_.resize(old);
        throw core::UserError("cannot read collection " + path_ + ": " +
                              (errnum == Z_ERRNO ? core::errno_text(errno) : std::string(msg)) +
                              " (corrupt or truncated gzip?)");
    }
    buffer_.resize(old + static_cast<std::size_t>(n));
    bytes_read_ += static_cast<std::uint64_t>(n);
    if (n == 0) eof_ = true;
    return n > 0;
}

bool LineSource::next(std::string_view& line, bool& complete) {
    std::size_t scan_from = pos_;
    for (;;) {
        auto* start = buffer_.data() + scan_from;
        auto* nl = static_cast<char*>(std::memchr(start, '\n', buffer_.size() - scan_from));
        if (nl) {
            std::size_t end = static_cast<std::size_t>(nl - buffer_.data());
            line = std::string_view(buffer_.data() + pos_, end - pos_);
            pos_ = end + 1;
            complete = true;
            ++line_number_;
            return true;
        }
        std::size_t consumed_before = pos_;
        std::size_t scanned = buffer_.size() - pos_;
        if (!fill()) {
            if (pos_ < buffer_.size()) {
                line = std::string_view(buffer_.data() + pos_, buffer_.size() - pos_);
                pos_ = buffer_.size();
                complete = false;
                ++line_number_;
                return true;
            }
            return false;
        }
        (void)consumed_before;
        scan_from = pos_ + scanned;  // fill() moved the partial line to the front
    }
}

bool CollectionReader::next(ReadItem& item) {
    std::string_view line;
    bool complete = false;
    for (;;) {
        if (!source_.next(line, complete)) return false;
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;
    }
    item.line_number = source_.line_number();
    auto decoded = decode_record(line);
    if (decoded.record) {
        item.record = std::move(*decoded.record);
        item.status = LineStatus::ok;
        item.error.clear();
    } else {
        item.status = complete ? LineStatus::malformed : LineStatus::truncated;
        item.error =
            complete ? decoded.error : "truncated last line (no newline; interrupted write?)";
    }
    return true;
}

}  // namespace pc::record
