// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include "pc/procfs/loadavg.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<pc::procfs::LoadAvg>(
        data, size,
        [](std::string_view text, pc::procfs::LoadAvg& out) {
            return pc::procfs::parse_loadavg(text, out);
        },
        [](const pc::procfs::LoadAvg& a, const pc::procfs::LoadAvg& b) {
            return a.runnable == b.runnable && a.last_pid == b.last_pid;
        });
    return 0;
}
