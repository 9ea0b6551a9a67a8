#include "pc/core/file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <system_error>

#include "pc/core/error.hpp"

namespace pc::core {

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "write");
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void fsync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + dir.string());
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw std::system_error(err, std::generic_category(), "fsync " + dir.string());
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
    write_file_atomic(path, content, mode, std::nullopt);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode,
                       const std::optional<FileOwner>& owner) {
    auto dir = path.parent_path();
    std::random_device rd;
    auto tmp = path;
    tmp += ".tmp." + std::to_string(rd());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        throw UserError("cannot create " + tmp.string() + ": " + errno_text(errno) +
                        "; check that the directory exists and is writable");
    }
    if (owner && ::fchown(fd, owner->uid, owner->gid) != 0) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw UserError("cannot give " + path.string() + " owner " + std::to_string(owner->uid) +
                        " and group " + std::to_string(owner->gid) + " (" + errno_text(err) +
                        "); run as root or as that user");
    }
    try {
        write_all(fd, content);
        if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
            throw std::system_error(errno, std::generic_category(), "fsync " + tmp.string());
        }
    } catch (const std::system_error& e) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw UserError("cannot write " + path.string() + ": " + e.code().message() +
                        " (is the disk full?)");
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw UserError("cannot replace " + path.string() + ": " + errno_text(err));
    }
    fsync_directory(dir);
}

std::string read_whole_file(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw UserError("cannot read " + path.string() + ": " + errno_text(errno));
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            throw UserError("cannot read " + path.string() + ": " + errno_text(err));
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

}  // namespace pc::core
