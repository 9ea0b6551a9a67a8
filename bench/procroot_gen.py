#!/usr/bin/python3
"""Generates a synthetic PCC_PROCROOT tree for pcc's scaling benchmarks.

The tree looks like a /proc of a host with N CPUs, D disks, I network interfaces and M real
mounts: stat, cpuinfo, meminfo, net/dev, diskstats, mounts (also self/mounts), filesystems,
vmstat, loadavg. Contents are deterministic (same arguments, same bytes) and shaped like a
Linux 6.1 x86_64 host, so parsing and copying costs are realistic. Mount points are real
directories inside the tree (statfs must succeed on them); each gets its own device name so the
"first mount per device" rule keeps them all.

Usage: procroot_gen.py OUTDIR [--cpus N] [--disks N] [--ifaces N] [--mounts N]
"""
import argparse
import os
import sys

FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx "
         "fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology "
         "nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic "
         "movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm "
         "3dnowprefetch invpcid_single ssbd ibrs ibpb stibp ibrs_enhanced fsgsbase tsc_adjust "
         "bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma "
         "clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves "
         "wbnoinvd arat avx512vbmi umip pku ospke avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni "
         "avx512_bitalg avx512_vpopcntdq rdpid fsrm md_clear arch_capabilities")


def disk_name(i):
    """sda, sdb, ..., sdz, sdaa, ... like the kernel's sd naming."""
    letters = ""
    n = i
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return "sd" + letters


def gen_stat(cpus):
    lines = []
    total = [0] * 10
    rows = []
    for c in range(cpus):
        v = [35757 + 13 * c, 289 + c % 7, 6634 + 3 * c, 310984 + 101 * c, 12369 + c, 0,
             44 + c % 5, 231, 0, 0]
        rows.append("cpu%d %s" % (c, " ".join(map(str, v))))
        total = [a + b for a, b in zip(total, v)]
    lines.append("cpu  " + " ".join(map(str, total)))
    lines += rows
    irqs = [str((i * 7919) % 100000 if i % 3 else 0) for i in range(64 + 4 * cpus)]
    lines.append("intr %d %s" % (sum(int(x) for x in irqs), " ".join(irqs)))
    lines += ["ctxt 123456789", "btime 1767800000", "processes 234567", "procs_running 2",
              "procs_blocked 0", "softirq 593273 4 121951 333 65667 0 0 139 151604 0 253575"]
    return "\n".join(lines) + "\n"


def gen_cpuinfo(cpus):
    blocks = []
    cores = max(1, cpus // 2)
    for c in range(cpus):
        blocks.append("\n".join([
            "processor\t: %d" % c, "vendor_id\t: GenuineIntel", "cpu family\t: 6",
            "model\t\t: 106", "model name\t: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz",
            "stepping\t: 6", "microcode\t: 0xffffffff", "cpu MHz\t\t: 2793.437",
            "cache size\t: 49152 KB", "physical id\t: %d" % (c // 128),
            "siblings\t: %d" % min(cpus, 128), "core id\t\t: %d" % (c % cores),
            "cpu cores\t: %d" % min(cores, 64), "apicid\t\t: %d" % c,
            "initial apicid\t: %d" % c, "fpu\t\t: yes", "fpu_exception\t: yes",
            "cpuid level\t: 21", "wp\t\t: yes", "flags\t\t: " + FLAGS,
            "vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad",
            "bugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs eibrs_pbrsb bhi",
            "bogomips\t: 5586.87", "clflush size\t: 64", "cache_alignment\t: 64",
            "address sizes\t: 46 bits physical, 57 bits virtual", "power management:", ""]))
    return "\n".join(blocks) + "\n"


MEMINFO = """MemTotal:       16365432 kB
MemFree:         9876543 kB
MemAvailable:   13456789 kB
Buffers:          234567 kB
Cached:          3456789 kB
SwapCached:            0 kB
Active:          2345678 kB
Inactive:        3456789 kB
Active(anon):     987654 kB
Inactive(anon):    12345 kB
Active(file):    1358024 kB
Inactive(file):  3444444 kB
Unevictable:           0 kB
Mlocked:               0 kB
SwapTotal:             0 kB
SwapFree:              0 kB
Zswap:                 0 kB
Zswapped:              0 kB
Dirty:               123 kB
Writeback:             0 kB
AnonPages:        998877 kB
Mapped:           456789 kB
Shmem:             12345 kB
KReclaimable:     234567 kB
Slab:             345678 kB
SReclaimable:     234567 kB
SUnreclaim:       111111 kB
KernelStack:       12345 kB
PageTables:        23456 kB
SecPageTables:         0 kB
NFS_Unstable:          0 kB
Bounce:                0 kB
WritebackTmp:          0 kB
CommitLimit:     8182716 kB
Committed_AS:    3456789 kB
VmallocTotal:   34359738367 kB
VmallocUsed:       45678 kB
VmallocChunk:          0 kB
Percpu:             4567 kB
HardwareCorrupted:     0 kB
AnonHugePages:         0 kB
ShmemHugePages:        0 kB
ShmemPmdMapped:        0 kB
FileHugePages:         0 kB
FilePmdMapped:         0 kB
HugePages_Total:       0
HugePages_Free:        0
HugePages_Rsvd:        0
HugePages_Surp:        0
Hugepagesize:       2048 kB
Hugetlb:               0 kB
DirectMap4k:      234567 kB
DirectMap2M:     8765432 kB
DirectMap1G:     8388608 kB
"""

FILESYSTEMS = """nodev\tsysfs
nodev\ttmpfs
nodev\tbdev
nodev\tproc
nodev\tcgroup
nodev\tcgroup2
nodev\tcpuset
nodev\tdevtmpfs
nodev\tdebugfs
nodev\ttracefs
nodev\tsecurityfs
nodev\tsockfs
nodev\tbpf
nodev\tpipefs
nodev\tramfs
nodev\thugetlbfs
nodev\tdevpts
\text3
\text2
\text4
\tsquashfs
\tvfat
nodev\tmqueue
nodev\tpstore
\txfs
\tbtrfs
nodev\toverlay
nodev\tautofs
"""


def gen_netdev(ifaces):
    lines = ["Inter-|   Receive                                                |  Transmit",
             " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
             "errs drop fifo colls carrier compressed"]
    names = ["lo"] + ["eth%d" % i for i in range(ifaces - 1)]
    for k, name in enumerate(names):
        rx, tx = 123456789 + 1000 * k, 98765432 + 777 * k
        lines.append("%6s: %d %d 0 0 0 0 0 %d %d %d 0 0 0 0 0 0" % (
            name, rx, rx // 900, k, tx, tx // 800))
    return "\n".join(lines) + "\n"


def gen_diskstats(disks):
    lines = []
    for d in range(disks):
        major, minor = 8 + 57 * (d // 16), (d % 16) * 16
        v = [12345 + d, 678, 987654 + 8 * d, 4321, 23456 + d, 789, 3456789 + 8 * d, 12345, 0,
             23456, 16666, 0, 0, 0, 0, 1234, 567]
        lines.append("%4d %7d %s %s" % (major, minor, disk_name(d), " ".join(map(str, v))))
    return "\n".join(lines) + "\n"


def gen_mounts(root, mounts):
    lines = ["sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0",
             "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
             "udev /dev devtmpfs rw,nosuid,relatime,size=8161000k,mode=755 0 0",
             "tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1636544k,mode=755 0 0",
             "/dev/root / ext4 rw,relatime,discard,errors=remount-ro 0 0"]
    for m in range(1, mounts):
        point = os.path.join(root, "mnt", "m%04d" % m)
        os.makedirs(point, exist_ok=True)
        lines.append("/dev/vd%s1 %s %s rw,relatime 0 0" % (
            disk_name(m)[2:], point, "xfs" if m % 2 else "ext4"))
    lines.append("tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0")
    return "\n".join(lines) + "\n"


VMSTAT_KEYS = ("nr_free_pages nr_zone_inactive_anon nr_zone_active_anon nr_zone_inactive_file "
               "nr_zone_active_file nr_zone_unevictable nr_zone_write_pending nr_mlock "
               "nr_bounce nr_zspages nr_free_cma numa_hit numa_miss numa_foreign "
               "numa_interleave numa_local numa_other nr_inactive_anon nr_active_anon "
               "nr_inactive_file nr_active_file nr_unevictable nr_slab_reclaimable "
               "nr_slab_unreclaimable nr_isolated_anon nr_isolated_file nr_anon_pages "
               "nr_mapped nr_file_pages nr_dirty nr_writeback nr_shmem pgpgin pgpgout pswpin "
               "pswpout pgalloc_dma pgalloc_dma32 pgalloc_normal pgfree pgactivate "
               "pgdeactivate pgfault pgmajfault pgrefill_normal pgsteal_kswapd "
               "pgsteal_direct pgscan_kswapd pgscan_direct pgscan_direct_throttle "
               "pginodesteal slabs_scanned kswapd_inodesteal pageoutrun pgrotated "
               "drop_pagecache drop_slab oom_kill thp_fault_alloc unevictable_pgs_culled").split()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--disks", type=int, default=4)
    ap.add_argument("--ifaces", type=int, default=3)
    ap.add_argument("--mounts", type=int, default=3, help="real (statfs) mounts incl. /")
    a = ap.parse_args()
    if min(a.cpus, a.disks, a.ifaces, a.mounts) < 1:
        sys.exit("procroot_gen: counts must be at least 1")
    root = os.path.abspath(a.outdir)
    os.makedirs(root, exist_ok=True)
    write(os.path.join(root, "stat"), gen_stat(a.cpus))
    write(os.path.join(root, "cpuinfo"), gen_cpuinfo(a.cpus))
    write(os.path.join(root, "meminfo"), MEMINFO)
    write(os.path.join(root, "net", "dev"), gen_netdev(a.ifaces))
    write(os.path.join(root, "diskstats"), gen_diskstats(a.disks))
    mounts = gen_mounts(root, a.mounts)
    write(os.path.join(root, "mounts"), mounts)
    write(os.path.join(root, "self", "mounts"), mounts)
    write(os.path.join(root, "filesystems"), FILESYSTEMS)
    write(os.path.join(root, "vmstat"),
          "".join("%s %d\n" % (k, (i * 104729) % 9999991) for i, k in enumerate(VMSTAT_KEYS)))
    write(os.path.join(root, "loadavg"), "0.52 0.58 0.59 2/345 12345\n")
    print("procroot_gen: %s cpus=%d disks=%d ifaces=%d mounts=%d" % (
        root, a.cpus, a.disks, a.ifaces, a.mounts))


if __name__ == "__main__":
    main()
