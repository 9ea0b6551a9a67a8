// Whole collection files, plain or gzip, through the streaming reader pcprocess uses: every
// line is ok, malformed or (last line only) truncated; read and gzip errors are UserErrors.
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.hpp"
#include "pc/core/error.hpp"
#include "pc/record/collection_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // An in-memory file, opened by path as pcprocess would open a real one.
    int fd = ::memfd_create("collection", MFD_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t written = 0;
    while (written < size) {
        auto n = ::write(fd, data + written, size - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    std::string path = "/proc/self/fd/" + std::to_string(fd);
    try {
        pc::record::CollectionReader reader(path);
        pc::record::ReadItem item;
        std::uint64_t last_line = 0;
        bool saw_truncated = false;
        // Bounded: each item consumes at least one input line.
        while (reader.next(item)) {
            FUZZ_CHECK(!saw_truncated);  // a truncated line is always the last
            FUZZ_CHECK(item.line_number > last_line);
            last_line = item.line_number;
            if (item.status == pc::record::LineStatus::truncated) saw_truncated = true;
            if (item.status != pc::record::LineStatus::ok) FUZZ_CHECK(!item.error.empty());
        }
    } catch (const pc::core::UserError&) {
        // Corrupt gzip or a read error: reported to the user, fine.
    }
    ::close(fd);
    return 0;
}
