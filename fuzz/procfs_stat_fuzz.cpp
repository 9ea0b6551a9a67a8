// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/stat.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::StatSample>(
        data, size,
        [](std::string_view text, pc::procfs::StatSample& out) {
            return pc::procfs::parse_stat(text, out);
        },
        [](const pc::procfs::StatSample& a, const pc::procfs::StatSample& b) {
            return a.has_total == b.has_total && a.total == b.total && a.cpus == b.cpus &&
                   a.present == b.present && a.btime == b.btime &&
                   a.procs_running == b.procs_running;
        });
    return 0;
}
