// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include <algorithm>

#include "pc/procfs/diskstats.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<std::vector<pc::procfs::DiskDevice>>(
        data, size,
        [](std::string_view text, std::vector<pc::procfs::DiskDevice>& out) {
            return pc::procfs::parse_diskstats(text, out);
        },
        [](const std::vector<pc::procfs::DiskDevice>& a,
           const std::vector<pc::procfs::DiskDevice>& b) {
            return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                              [](const auto& x, const auto& y) {
                                  return x.name == y.name && x.major == y.major &&
                                         x.minor == y.minor && x.v == y.v;
                              });
        });
    return 0;
}
