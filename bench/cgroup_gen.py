#!/usr/bin/python3
"""Writes a cgroup v2 tree with N Docker containers (systemd driver) and a few services, every
file in the kernel's format, for pcc's container[*] cost (bench/pcc_measure.py, part containers).

usage: cgroup_gen.py ROOT --containers N [--services M]
"""
import argparse
import hashlib
import os


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def cgroup(d, i):
    write(os.path.join(d, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n")
    write(os.path.join(d, "cgroup.procs"), "%d\n" % (1000 + i))
    write(os.path.join(d, "cpu.stat"),
          "usage_usec %d\nuser_usec %d\nsystem_usec %d\ncore_sched.force_idle_usec 0\n"
          "nr_periods %d\nnr_throttled %d\nthrottled_usec %d\nnr_bursts 0\nburst_usec 0\n"
          % (629771818 + i, 623487081 + i, 6284736 + i, 6431 + i, 6169, 590702458))
    write(os.path.join(d, "cpu.max"), "100000 100000\n")
    write(os.path.join(d, "memory.current"), "%d\n" % (363417600 + 4096 * i))
    write(os.path.join(d, "memory.max"), "2147483648\n")
    stat = ["anon 2785280", "file 321363968", "kernel 39268352", "kernel_stack 81920",
            "pagetables 245760", "sec_pagetables 0", "percpu 480", "sock 0", "vmalloc 0",
            "shmem 0", "zswap 0", "zswapped 0", "file_mapped 1363968", "file_dirty 0",
            "file_writeback 0", "swapcached 0", "anon_thp 0", "file_thp 0", "shmem_thp 0",
            "inactive_anon 2785280", "active_anon 0", "inactive_file 321363968",
            "active_file 0", "unevictable 0", "slab_reclaimable 7864320",
            "slab_unreclaimable 7864320", "slab 15728640", "workingset_refault_anon 0",
            "workingset_refault_file 0", "workingset_activate_anon 0",
            "workingset_activate_file 0", "workingset_restore_anon 0",
            "workingset_restore_file 0", "workingset_nodereclaim 0", "pgscan 0", "pgsteal 0",
            "pgscan_kswapd 0", "pgscan_direct 0", "pgsteal_kswapd 0", "pgsteal_direct 0",
            "pgfault 123456", "pgmajfault 12", "pgrefill 0", "pgactivate 0", "pgdeactivate 0",
            "pglazyfree 0", "pglazyfreed 0", "thp_fault_alloc 0", "thp_collapse_alloc 0"]
    write(os.path.join(d, "memory.stat"), "\n".join(stat) + "\n")
    write(os.path.join(d, "io.stat"),
          "8:0 rbytes=4096 wbytes=351330304 rios=1 wios=9977 dbytes=0 dios=0\n")
    write(os.path.join(d, "pids.current"), "98\n")
    write(os.path.join(d, "pids.max"), "4915\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--containers", type=int, default=20)
    ap.add_argument("--services", type=int, default=0)
    a = ap.parse_args()
    write(os.path.join(a.root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids\n")
    write(os.path.join(a.root, "init.scope", "cgroup.procs"), "1\n")
    for i in range(a.containers):
        cid = hashlib.sha256(b"container %d" % i).hexdigest()
        cgroup(os.path.join(a.root, "system.slice", "docker-%s.scope" % cid), i)
    for i in range(a.services):
        cgroup(os.path.join(a.root, "system.slice", "unit-%d.service" % i), i)
    write(os.path.join(a.root, "user.slice", "user-1000.slice", "session-1.scope", "cgroup.procs"),
          "4242\n")


if __name__ == "__main__":
    main()
