// The I/O seam, in the spirit of LevelDB's Env: every file-system call of pcd's file store
// (FileStore, MachineLog, CommitLog, trim, CollectionFilter), of pcc's spool and of pcc's
// collection file (CollectionFile, RotatingCollection) goes through one of these, so tests can
// inject disk-full, EIO, short writes, failing syncs and crashes without root
// (tests/support/fault_file_system.hpp). PosixFileSystem is the real one.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pc/io/file.hpp"

namespace pc::io {

// How open() opens a file (always close-on-exec).
enum class OpenMode {
    read,        // O_RDONLY
    read_write,  // O_RDWR, the file must exist
    create,      // O_RDWR | O_CREAT
    replace,     // O_WRONLY | O_CREAT | O_TRUNC
    directory,   // O_RDONLY | O_DIRECTORY (for File::sync_filesystem)
    // O_APPEND modes, for a file other programs may also cut (logrotate's copytruncate): every
    // write goes to the end of the file as it is then, and write_at's offset is ignored.
    append,       // O_RDWR | O_APPEND | O_CREAT
    append_only,  // O_WRONLY | O_APPEND, the file must exist (one the caller may not read)
};

struct DirectoryEntry {
    std::filesystem::path path;
    bool regular_file = false;  // following symbolic links
};

class FileSystem {
public:
    virtual ~FileSystem() = default;

    // Throws std::system_error ("open <path>"). `permissions` apply to a created file.
    virtual std::unique_ptr<File> open(const std::filesystem::path& path, OpenMode mode,
                                       unsigned permissions = 0640) = 0;
    // False also when it cannot be told (as std::filesystem::exists with an error_code).
    virtual bool exists(const std::filesystem::path& path) = 0;
    virtual bool is_directory(const std::filesystem::path& path) = 0;
    // Throws std::system_error (std::filesystem::filesystem_error).
    virtual void create_directories(const std::filesystem::path& dir) = 0;
    // Best effort (chmod): false when it failed.
    virtual bool set_permissions(const std::filesystem::path& path, unsigned permissions) = 0;
    // The entries of `dir`. Throws std::system_error when it cannot be listed.
    virtual std::vector<DirectoryEntry> list(const std::filesystem::path& dir) = 0;
    // Throws std::system_error ("rename <from> to <to>").
    virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
    // Unlinks `path`; false when it did not exist. Throws std::system_error ("remove <path>").
    virtual bool remove(const std::filesystem::path& path) = 0;
    // fsync of a directory, so a create, rename or unlink in it survives a crash.
    virtual void sync_directory(const std::filesystem::path& dir) = 0;
    // Readers see the old file or the new one, never a part (temp file, fsync, rename, fsync of
    // the directory). Throws (core::UserError for the POSIX one).
    virtual void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                                   unsigned permissions) = 0;
    // The whole file. Throws (core::UserError for the POSIX one).
    virtual std::string read_file(const std::filesystem::path& path) = 0;

protected:
    FileSystem() = default;
    FileSystem(const FileSystem&) = default;
    FileSystem& operator=(const FileSystem&) = default;
};

}  // namespace pc::io
