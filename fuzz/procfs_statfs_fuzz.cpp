// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include <algorithm>

#include "pc/procfs/statfs.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<std::vector<pc::procfs::FsStat>>(
        data, size,
        [](std::string_view text, std::vector<pc::procfs::FsStat>& out) {
            return pc::procfs::parse_statfs(text, out);
        },
        [](const std::vector<pc::procfs::FsStat>& a, const std::vector<pc::procfs::FsStat>& b) {
            return std::equal(
                a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
                    return x.mount_point == y.mount_point && x.block_size == y.block_size &&
                           x.blocks_total == y.blocks_total && x.blocks_free == y.blocks_free &&
                           x.blocks_available == y.blocks_available;
                });
        });
    return 0;
}
