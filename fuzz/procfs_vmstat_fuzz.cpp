// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/vmstat.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::VmStat>(
        data, size,
        [](std::string_view text, pc::procfs::VmStat& out) {
            return pc::procfs::parse_vmstat(text, out);
        },
        [](const pc::procfs::VmStat& a, const pc::procfs::VmStat& b) {
            return a.pgfault == b.pgfault && a.pgpgin == b.pgpgin;
        });
    return 0;
}
