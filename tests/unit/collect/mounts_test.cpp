#include "pc/collect/mounts.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using pc::collect::Mount;
using pc::collect::select_mounts;

namespace {

const char* kFilesystems =
    "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n\text3\n\text4\n\tsquashfs\nnodev\toverlay\n"
    "\txfs\n\tvfat\n";

}  // namespace

TEST(Mounts, DeviceTypesExcludeNodevAndSquashfs) {
    auto types = pc::collect::device_filesystem_types(kFilesystems);
    EXPECT_EQ(types, (std::vector<std::string>{"ext3", "ext4", "xfs", "vfat"}));
}

TEST(Mounts, SelectsFirstMountPerDeviceOfRealFilesystems) {
    const char* mounts =
        "proc /proc proc rw 0 0\n"
        "overlay / overlay rw 0 0\n"
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sda2 /boot ext4 rw 0 0\n"
        "/dev/sda1 /var/lib/docker ext4 rw 0 0\n"  // same device again: dropped
        "/dev/loop0 /snap/core squashfs ro 0 0\n"
        "tmpfs /run tmpfs rw 0 0\n"
        "/dev/sdb1 /mnt/my\\040data xfs rw 0 0\n"
        "/dev/sda15 /boot/efi vfat rw 0 0\n"
        "/dev/nvme0 /fuse fuseblk rw 0 0\n"  // fuseblk not in this filesystems list
        "garbage\n";
    auto selected = select_mounts(mounts, kFilesystems);
    EXPECT_EQ(selected, (std::vector<Mount>{{"/dev/sda1", "/", "ext4"},
                                            {"/dev/sda2", "/boot", "ext4"},
                                            {"/dev/sdb1", "/mnt/my data", "xfs"},
                                            {"/dev/sda15", "/boot/efi", "vfat"}}));
}

TEST(Mounts, UnescapesOctal) {
    EXPECT_EQ(pc::collect::unescape_mount_field("a\\040b\\011c\\134d"), "a b\tc\\d");
    EXPECT_EQ(pc::collect::unescape_mount_field("end\\04"), "end\\04");
    EXPECT_EQ(pc::collect::unescape_mount_field("x\\999"), "x\\999");
}

TEST(Mounts, RecordedProcrootSelectsTheRootDiskOnly) {
    auto root = pc::test::source_dir() / "testdata/procroot-vm2cpu";
    auto selected = select_mounts(pc::test::read_file(root / "mounts"),
                                  pc::test::read_file(root / "filesystems"));
    EXPECT_EQ(selected, (std::vector<Mount>{{"/dev/vda", "/", "ext4"}}));
}
