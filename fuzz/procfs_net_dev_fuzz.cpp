// /proc parser under fuzz: see procfs_target.hpp for the properties checked.
#include <algorithm>

#include "pc/procfs/net_dev.hpp"
#include "procfs_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pc::fuzz::check_procfs_parser<std::vector<pc::procfs::NetDevice>>(
        data, size,
        [](std::string_view text, std::vector<pc::procfs::NetDevice>& out) {
            return pc::procfs::parse_net_dev(text, out);
        },
        [](const std::vector<pc::procfs::NetDevice>& a,
           const std::vector<pc::procfs::NetDevice>& b) {
            return std::equal(
                a.begin(), a.end(), b.begin(), b.end(),
                [](const auto& x, const auto& y) { return x.name == y.name && x.v == y.v; });
        });
    // Default mode's lenient form: never fails, skips bad lines, and is as repeatable.
    pc::fuzz::check_procfs_parser<std::vector<pc::procfs::NetDevice>>(
        data, size,
        [](std::string_view text, std::vector<pc::procfs::NetDevice>& out) {
            std::uint64_t skipped = 0;
            auto status = pc::procfs::parse_net_dev(text, out, &skipped);
            FUZZ_CHECK(status.ok);
            return status;
        },
        [](const std::vector<pc::procfs::NetDevice>& a,
           const std::vector<pc::procfs::NetDevice>& b) {
            return std::equal(
                a.begin(), a.end(), b.begin(), b.end(),
                [](const auto& x, const auto& y) { return x.name == y.name && x.v == y.v; });
        });
    return 0;
}
