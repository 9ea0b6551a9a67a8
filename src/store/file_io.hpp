// Helpers over the store's File shared by its files (private to src/store).
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

#include "pc/store/file_system.hpp"

namespace pc::store::io {

// std::system_error from errno, naming `what`.
std::system_error sys_error(const std::string& what);

// Up to `length` bytes from `offset` (fewer at the end of the file).
std::string pread_exact(File& file, std::uint64_t offset, std::uint64_t length);
// Copies [from, to) of `in` to `out` at `out_offset`, in chunks. Throws std::system_error.
void copy_range(File& in, std::uint64_t from, std::uint64_t to, File& out,
                std::uint64_t out_offset);

}  // namespace pc::store::io
