#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace pc::store::io {

std::system_error sys_error(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

int open_file(const std::filesystem::path& path, int flags, unsigned mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) throw sys_error("open " + path.string());
    return fd;
}

std::uint64_t file_size(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw sys_error("stat " + path.string());
    return static_cast<std::uint64_t>(st.st_size);
}

void pwrite_all(int fd, std::string_view data, std::uint64_t offset) {
    while (!data.empty()) {
        ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw sys_error("write");
        }
        data.remove_prefix(static_cast<std::size_t>(n));
        offset += static_cast<std::uint64_t>(n);
    }
}

std::string pread_exact(int fd, std::uint64_t offset, std::uint64_t length) {
    std::string out(length, '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n =
            ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw sys_error("read");
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

void sync_fd(int fd, const std::string& what) {
    if (::fdatasync(fd) != 0) throw sys_error("fdatasync " + what);
}

void copy_range(int in, std::uint64_t from, std::uint64_t to, int out, std::uint64_t out_offset) {
    constexpr std::uint64_t kChunk = 1u << 20;
    while (from < to) {
        std::string chunk = pread_exact(in, from, std::min(kChunk, to - from));
        if (chunk.empty()) {
            errno = EIO;
            throw sys_error("read: file shorter than its index");
        }
        pwrite_all(out, chunk, out_offset);
        from += chunk.size();
        out_offset += chunk.size();
    }
}

}  // namespace pc::store::io
