// An open file, as a FileSystem hands it out: positioned reads and writes,
// syncs, truncation. Owning: the descriptor (or whatever stands for it) is closed when the
// object goes. Every call is one virtual call and allocates nothing unless it fails, so the
// append path stays as cheap as the system calls it makes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>

namespace pc::io {

class File {
public:
    virtual ~File() = default;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    // Writes all of `data` at `offset` (retrying partial and interrupted writes). Throws
    // std::system_error ("write": the path is left out, as this text reaches the agents).
    virtual void write_at(std::string_view data, std::uint64_t offset) = 0;
    // Reads `length` bytes at `offset` into `out`, fewer only at the end of the file; returns
    // how many. Throws std::system_error ("read").
    virtual std::size_t read_at(char* out, std::size_t length, std::uint64_t offset) = 0;
    // fdatasync and fsync. Throw std::system_error naming the path.
    virtual void sync_data() = 0;
    virtual void sync() = 0;
    // Cuts (or extends) the file to `size` bytes. Throws std::system_error naming the path.
    virtual void truncate(std::uint64_t size) = 0;
    // Throws std::system_error ("stat <path>").
    virtual std::uint64_t size() = 0;
    // Permission bits, or 0640 when they cannot be read (trim gives its new files the old ones).
    virtual unsigned permissions() = 0;
    // syncfs of the file system holding this file (a directory opened with OpenMode::directory):
    // writes back every dirty file and reports write-back errors since the file was opened.
    virtual void sync_filesystem() = 0;

    const std::filesystem::path& path() const { return path_; }

protected:
    explicit File(std::filesystem::path path) : path_(std::move(path)) {}

private:
    std::filesystem::path path_;
};

}  // namespace pc::io
