// The real file system: system calls with EINTR retries, O_CLOEXEC, and errors that name the
// path (the behaviour the store had before its I/O went through FileSystem).
#pragma once

#include <memory>

#include "pc/io/file_system.hpp"

namespace pc::io {

class PosixFileSystem final : public FileSystem {
public:
    PosixFileSystem() = default;

    std::unique_ptr<File> open(const std::filesystem::path& path, OpenMode mode,
                               unsigned permissions = 0640) override;
    bool exists(const std::filesystem::path& path) override;
    bool is_directory(const std::filesystem::path& path) override;
    void create_directories(const std::filesystem::path& dir) override;
    bool set_permissions(const std::filesystem::path& path, unsigned permissions) override;
    std::vector<DirectoryEntry> list(const std::filesystem::path& dir) override;
    void rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
    bool remove(const std::filesystem::path& path) override;
    void sync_directory(const std::filesystem::path& dir) override;
    void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                           unsigned permissions) override;
    std::string read_file(const std::filesystem::path& path) override;
};

// One shared PosixFileSystem: what StoreOptions uses unless a test gives another.
std::shared_ptr<FileSystem> default_file_system();

}  // namespace pc::io
