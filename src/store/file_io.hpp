// Positioned, interruption-safe file I/O shared by the store's files (private to src/store).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace pc::store::io {

// std::system_error from errno, naming `what`.
std::system_error sys_error(const std::string& what);

int open_file(const std::filesystem::path& path, int flags, unsigned mode = 0640);
std::uint64_t file_size(int fd, const std::filesystem::path& path);
void pwrite_all(int fd, std::string_view data, std::uint64_t offset);
// Up to `length` bytes from `offset` (fewer at the end of the file).
std::string pread_exact(int fd, std::uint64_t offset, std::uint64_t length);
void sync_fd(int fd, const std::string& what);
// Copies [from, to) of `in` to `out` at `out_offset`, in chunks. Throws std::system_error.
void copy_range(int in, std::uint64_t from, std::uint64_t to, int out, std::uint64_t out_offset);

}  // namespace pc::store::io
