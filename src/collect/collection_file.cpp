#include "pc/collect/collection_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "pc/core/error.hpp"
#include "pc/record/codec.hpp"

namespace pc::collect {

long system_write(int fd, const void* data, std::size_t size) {
    return ::write(fd, data, size);
}

CollectionFile::CollectionFile(std::filesystem::path path, std::string_view variable,
                               WriteFunction write)
    : path_(std::move(path)), write_(std::move(write)) {
    const std::string var(variable);
    if (path_.empty()) throw UserError(var + ": empty path; use e.g. " + var + "=/tmp/pcc.json");
    auto parent = path_.parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        throw UserError(var + ": directory " + parent.string() + " of " + path_.string() +
                        " does not exist; create it or choose another path, e.g. " + var +
                        "=/tmp/pcc.json");
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw UserError(var + ": cannot open " + path_.string() +
                        " for appending: " + errno_text(errno));
    }
}

CollectionFile::~CollectionFile() {
    if (fd_ >= 0) ::close(fd_);
}

void CollectionFile::write(const Tick& tick) {
    if (tick.empty()) return;
    buffer_.clear();
    encode_tick(tick, buffer_);

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
    if (error == 0) return;

    ++lost_;
    bool partial = rest.size() != buffer_.size();
    if (partial && have_size && ::ftruncate(fd_, before.st_size) != 0) {
        spdlog::error("{}: tick at {} partly written and could not be cut off again: {}",
                      path_.string(), tick.front().timestamp, errno_text(errno));
        return;
    }
    spdlog::error("{}: tick at {} lost: {}", path_.string(), tick.front().timestamp,
                  errno_text(error));
}

std::size_t CollectionFile::finish(std::chrono::milliseconds /*drain_timeout*/) {
    if (fd_ >= 0 && ::fsync(fd_) != 0) {
        spdlog::warn("{}: fsync failed: {}", path_.string(), errno_text(errno));
    }
    return lost_;
}

}  // namespace pc::collect
