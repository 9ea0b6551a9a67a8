// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/meminfo.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::MemInfo>(
        data, size,
        [](std::string_view text, pc::procfs::MemInfo& out) {
            return pc::procfs::parse_meminfo(text, out);
        },
        [](const pc::procfs::MemInfo& a, const pc::procfs::MemInfo& b) { return a == b; });
    return 0;
}
