// File operations with the durability the suite promises: atomic replace, fsync, full writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pc::core {

// Writes all of `data` to fd, retrying on EINTR and short writes. Throws std::system_error.
void write_all(int fd, std::string_view data);

// Writes `content` to a temp file beside `path`, fsyncs it, renames it over `path` and fsyncs
// the directory: readers see the old file or the new one, never a partial one.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       unsigned mode = 0644);

// Owner and group a file is given (numeric ids, as stat(2) reports them).
struct FileOwner {
    unsigned uid = 0;
    unsigned gid = 0;
    bool operator==(const FileOwner&) const = default;
};

// As above, and the new file gets `owner` (fchown before the rename) when given. Throws
// UserError naming the ids when they cannot be set (not root, not a group of ours).
void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode,
                       const std::optional<FileOwner>& owner);

// fsync of a directory, so a rename or create inside it survives a crash.
void fsync_directory(const std::filesystem::path& dir);

// Whole file into a string; throws UserError naming the path when it cannot be read.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace pc::core
