// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/uptime.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::Uptime>(
        data, size,
        [](std::string_view text, pc::procfs::Uptime& out) {
            return pc::procfs::parse_uptime(text, out);
        },
        [](const pc::procfs::Uptime& a, const pc::procfs::Uptime& b) {
            return a.uptime_cs == b.uptime_cs;
        });
    return 0;
}
