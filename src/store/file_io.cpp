#include "file_io.hpp"

#include <algorithm>
#include <cerrno>

namespace pc::store::io {

std::system_error sys_error(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

std::string pread_exact(File& file, std::uint64_t offset, std::uint64_t length) {
    std::string out(length, '\0');
    out.resize(file.read_at(out.data(), out.size(), offset));
    return out;
}

void copy_range(File& in, std::uint64_t from, std::uint64_t to, File& out,
                std::uint64_t out_offset) {
    constexpr std::uint64_t kChunk = 1u << 20;
    while (from < to) {
        std::string chunk = pread_exact(in, from, std::min(kChunk, to - from));
        if (chunk.empty()) {
            errno = EIO;
            throw sys_error("read: file shorter than its index");
        }
        out.write_at(chunk, out_offset);
        from += chunk.size();
        out_offset += chunk.size();
    }
}

}  // namespace pc::store::io
