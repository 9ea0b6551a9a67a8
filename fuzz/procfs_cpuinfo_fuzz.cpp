// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/cpuinfo.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::CpuInfoSummary>(
        data, size,
        [](std::string_view text, pc::procfs::CpuInfoSummary& out) {
            return pc::procfs::parse_cpuinfo(text, out);
        },
        [](const pc::procfs::CpuInfoSummary& a, const pc::procfs::CpuInfoSummary& b) {
            return a.total_cpus == b.total_cpus && a.physical_cpus == b.physical_cpus &&
                   a.model_name == b.model_name;
        });
    return 0;
}
