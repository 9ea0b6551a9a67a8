// Which mounts the statfs[*] subsystem reports: the original's "non-virtual mounts".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pc::collect {

struct Mount {
    std::string device;       // first field of the mount table
    std::string mount_point;  // second field, octal escapes (\040 ...) decoded
    std::string fstype;       // third field

    bool operator==(const Mount&) const = default;
};

// Parses a mount table (<procroot>/mounts) in order. Malformed lines are skipped.
std::vector<Mount> parse_mounts(std::string_view mounts_text);

// Filesystem types that are backed by a device: the lines of <procroot>/filesystems that do not
// start with "nodev" and do not contain "squashfs".
std::vector<std::string> device_filesystem_types(std::string_view filesystems_text);

// The original's selection: walk the mount table in order and keep a mount when its fstype is
// a device filesystem type and its device has not been kept before (first mount per device).
std::vector<Mount> select_mounts(std::string_view mounts_text, std::string_view filesystems_text);

// Decodes the kernel's octal escapes in mount-table fields ("\040" is a space).
std::string unescape_mount_field(std::string_view field);

}  // namespace pc::collect
