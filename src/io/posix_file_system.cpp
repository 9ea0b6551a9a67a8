#include "pc/io/posix_file_system.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "pc/core/file_util.hpp"

namespace pc::io {

namespace {

std::system_error sys_error(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

int flags_of(OpenMode mode) {
    switch (mode) {
        case OpenMode::read:
            return O_RDONLY;
        case OpenMode::read_write:
            return O_RDWR;
        case OpenMode::create:
            return O_RDWR | O_CREAT;
        case OpenMode::replace:
            return O_WRONLY | O_CREAT | O_TRUNC;
        case OpenMode::directory:
            return O_RDONLY | O_DIRECTORY;
        case OpenMode::append:
            return O_RDWR | O_APPEND | O_CREAT;
        case OpenMode::append_only:
            return O_WRONLY | O_APPEND;
    }
    return O_RDONLY;
}

class PosixFile final : public File {
public:
    PosixFile(std::filesystem::path path, int fd) : File(std::move(path)), fd_(fd) {}
    ~PosixFile() override { ::close(fd_); }

    void write_at(std::string_view data, std::uint64_t offset) override {
        while (!data.empty()) {
            ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
            if (n < 0) {
                if (errno == EINTR) continue;
                throw sys_error("write");
            }
            data.remove_prefix(static_cast<std::size_t>(n));
            offset += static_cast<std::uint64_t>(n);
        }
    }

    std::size_t read_at(char* out, std::size_t length, std::uint64_t offset) override {
        std::size_t done = 0;
        while (done < length) {
            ssize_t n = ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                throw sys_error("read");
            }
            if (n == 0) break;
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

    void sync_data() override {
        if (::fdatasync(fd_) != 0) throw sys_error("fdatasync " + path().string());
    }

    void sync() override {
        if (::fsync(fd_) != 0) throw sys_error("fsync " + path().string());
    }

    void truncate(std::uint64_t size) override {
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
            throw sys_error("truncate " + path().string());
        }
    }

    std::uint64_t size() override {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) throw sys_error("stat " + path().string());
        return static_cast<std::uint64_t>(st.st_size);
    }

    unsigned permissions() override {
        struct stat st {};
        return ::fstat(fd_, &st) == 0 ? (st.st_mode & 07777) : 0640;
    }

    void sync_filesystem() override {
        if (::syncfs(fd_) != 0) throw sys_error("syncfs");
    }

private:
    int fd_;
};

}  // namespace

std::unique_ptr<File> PosixFileSystem::open(const std::filesystem::path& path, OpenMode mode,
                                            unsigned permissions) {
    int fd = ::open(path.c_str(), flags_of(mode) | O_CLOEXEC, permissions);
    if (fd < 0) throw sys_error("open " + path.string());
    return std::make_unique<PosixFile>(path, fd);
}

bool PosixFileSystem::exists(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

bool PosixFileSystem::is_directory(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
}

void PosixFileSystem::create_directories(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
}

bool PosixFileSystem::set_permissions(const std::filesystem::path& path, unsigned permissions) {
    return ::chmod(path.c_str(), permissions) == 0;
}

std::vector<DirectoryEntry> PosixFileSystem::list(const std::filesystem::path& dir) {
    std::vector<DirectoryEntry> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::error_code ec;
        out.push_back({entry.path(), entry.is_regular_file(ec)});
    }
    return out;
}

void PosixFileSystem::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
        throw sys_error("rename " + from.string() + " to " + to.string());
    }
}

bool PosixFileSystem::remove(const std::filesystem::path& path) {
    if (::unlink(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    throw sys_error("remove " + path.string());
}

void PosixFileSystem::sync_directory(const std::filesystem::path& dir) {
    core::fsync_directory(dir);
}

void PosixFileSystem::write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                        unsigned permissions) {
    core::write_file_atomic(path, content, permissions);
}

std::string PosixFileSystem::read_file(const std::filesystem::path& path) {
    return core::read_whole_file(path);
}

std::shared_ptr<FileSystem> default_file_system() {
    static const std::shared_ptr<FileSystem> posix = std::make_shared<PosixFileSystem>();
    return posix;
}

}  // namespace pc::io
