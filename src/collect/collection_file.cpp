#include "pc/collect/collection_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"

namespace pc::collect {

long system_write(int fd, const void* data, std::size_t size) {
    return ::write(fd, data, size);
}

std::int64_t cut_torn_last_line(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw std::system_error(errno, std::generic_category(), "fstat");
    const std::int64_t size = st.st_size;
    // Search backwards for the last newline, one block at a time.
    char block[4096];
    std::int64_t end = size;
    while (end > 0) {
        const std::int64_t start = end > static_cast<std::int64_t>(sizeof block)
                                       ? end - static_cast<std::int64_t>(sizeof block)
                                       : 0;
        const auto want = static_cast<std::size_t>(end - start);
        const long got = ::pread(fd, block, want, start);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "pread");
        }
        if (static_cast<std::size_t>(got) != want) {
            throw std::system_error(EIO, std::generic_category(), "short pread");
        }
        for (std::size_t i = want; i-- > 0;) {
            if (block[i] != '\n') continue;
            const std::int64_t keep = start + static_cast<std::int64_t>(i) + 1;
            if (keep == size) return 0;
            if (::ftruncate(fd, keep) != 0)
                throw std::system_error(errno, std::generic_category(), "ftruncate");
            return size - keep;
        }
        end = start;
    }
    if (size > 0 && ::ftruncate(fd, 0) != 0)
        throw std::system_error(errno, std::generic_category(), "ftruncate");
    return size;
}

CollectionFile::CollectionFile(std::filesystem::path path, std::string_view variable,
                               WriteFunction write)
    : path_(std::move(path)), write_(std::move(write)) {
    const std::string var(variable);
    if (path_.empty())
        throw core::UserError(var + ": empty path; use e.g. " + var + "=/tmp/pcc.json");
    auto parent = path_.parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        throw core::UserError(var + ": directory " + parent.string() + " of " + path_.string() +
                              " does not exist; create it or choose another path, e.g. " + var +
                              "=/tmp/pcc.json");
    }
    // Read access too, to check the tail of an existing file below; a write-only file is
    // still appended to, unchecked.
    fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    const bool readable = fd_ >= 0;
    int error = errno;
    if (fd_ < 0 && error == EACCES) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
        // ENOENT here only means there is no file to append to: the directory refused to
        // create one, and that EACCES is the reason to report.
        if (fd_ < 0 && errno != ENOENT) error = errno;
    }
    if (fd_ < 0) {
        throw core::UserError(var + ": cannot open " + path_.string() +
                              " for appending: " + core::errno_text(error));
    }
    // A run killed in the middle of its write leaves a line without its newline; appending
    // after it would put a malformed line in the middle of the file. Cut it off first.
    try {
        if (const auto cut = readable ? cut_torn_last_line(fd_) : 0; cut > 0) {
            spdlog::warn("{}: removed a torn last line ({} bytes) left by an interrupted run",
                         path_.string(), cut);
        }
    } catch (const std::system_error& e) {
        ::close(fd_);
        fd_ = -1;
        throw core::UserError(var + ": cannot check the end of " + path_.string() + " (" +
                              e.what() + "); move the file away or choose another path");
    }
}

CollectionFile::~CollectionFile() {
    if (fd_ >= 0) ::close(fd_);
}

void CollectionFile::write(const record::Tick& tick) {
    if (tick.empty()) return;
    buffer_.clear();
    record::encode_tick(tick, buffer_);

    struct stat before {};
    bool have_size = ::fstat(fd_, &before) == 0;
    std::string_view rest = buffer_;
    int error = 0;
    while (!rest.empty()) {
        long n = write_(fd_, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            error = errno;
            break;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (error == 0) {
        ++written_;
        return;
    }

    ++lost_;
    bool partial = rest.size() != buffer_.size();
    if (partial && have_size && ::ftruncate(fd_, before.st_size) != 0) {
        spdlog::error("{}: tick at {} partly written and could not be cut off again: {}",
                      path_.string(), tick.front().timestamp, core::errno_text(errno));
        return;
    }
    spdlog::error("{}: tick at {} lost: {}", path_.string(), tick.front().timestamp,
                  core::errno_text(error));
}

record::SinkReport CollectionFile::report() const {
    record::SinkReport r;
    r.delivered = written_;
    r.failed = lost_;
    return r;
}

std::uint64_t CollectionFile::size() const {
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

std::size_t CollectionFile::finish(std::chrono::milliseconds /*drain_timeout*/) {
    if (fd_ >= 0 && ::fsync(fd_) != 0) {
        spdlog::warn("{}: fsync failed: {}", path_.string(), core::errno_text(errno));
    }
    return lost_;
}

}  // namespace pc::collect
