// The mount table and /proc/filesystems, as pcc reads them from <procroot> for statfs[*]: the
// input is "<mounts>\0<filesystems>" (no NUL: all mounts, no filesystems file).
#include <algorithm>
#include <set>
#include <string>

#include "fuzz_check.hpp"
#include "pc/collect/mounts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = pc::fuzz::as_view(data, size);
    const auto nul = input.find('\0');
    const auto mounts_text = input.substr(0, nul);
    const auto filesystems_text =
        nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);

    const auto all = pc::collect::parse_mounts(mounts_text);
    const auto types = pc::collect::device_filesystem_types(filesystems_text);
    const auto selected = pc::collect::select_mounts(mounts_text, filesystems_text);
    const std::set<std::string> type_set(types.begin(), types.end());
    for (const auto& t : types) {
        FUZZ_CHECK(t.find("squashfs") == std::string::npos);
        FUZZ_CHECK(!t.empty());
    }
    // The selection: device filesystem types only, first mount per device, in table order.
    std::set<std::string> devices;
    auto next = all.begin();
    for (const auto& m : selected) {
        FUZZ_CHECK(type_set.count(m.fstype) == 1);
        FUZZ_CHECK(devices.insert(m.device).second);
        next = std::find(next, all.end(), m);
        FUZZ_CHECK(next != all.end());
        ++next;
    }
    // Decoding escapes never makes a field longer.
    for (const auto& m : all)
        FUZZ_CHECK(pc::collect::unescape_mount_field(m.mount_point).size() <= m.mount_point.size());
    FUZZ_CHECK(pc::collect::unescape_mount_field(mounts_text).size() <= mounts_text.size());
    return 0;
}
