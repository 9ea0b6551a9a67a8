#!/usr/bin/env python3
"""pcc + pcprocess (default mode) next to sysstat's sadc + sadf, side by side under load.

Runs pcc (1 s, with /proc/uptime, vmstat and loadavg) and `sadc 1 N` at the same time for
--seconds while a CPU, a disk (O_DIRECT dd) and a loopback network load run, processes pcc's
collection with pcprocess in default mode, reads sar's figures with `sadf -d -U`, and prints
for every column both have the window mean of each and their difference, over the window both
cover. Rows of one device or CPU are compared with the same device or CPU.

Needs sysstat (`apt-get install -y sysstat`) and a build with pcc and pcprocess:
    bench/sar_compare.py [--build build] [--seconds 60] [--workdir DIR] [--no-load]
docs/pcprocess.md shows a recorded table and says which columns equal sar's and why.
"""
import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

# (pcprocess file, pcc column, sar activity flag, sar column, scale applied to pcc's value)
COLUMNS = [
    ("proc/stat", "%usr", "-u -P ALL", "%user", 1),
    ("proc/stat", "%nice", "-u -P ALL", "%nice", 1),
    ("proc/stat", "%system", "-u -P ALL", "%system", 1),
    ("proc/stat", "%iowait", "-u -P ALL", "%iowait", 1),
    ("proc/stat", "%steal", "-u -P ALL", "%steal", 1),
    ("proc/stat", "%idle", "-u -P ALL", "%idle", 1),
    ("proc/meminfo", "kbmemfree", "-r", "kbmemfree", 1),
    ("proc/meminfo", "kbavail", "-r", "kbavail", 1),
    ("proc/meminfo", "kbmemused", "-r", "kbmemused", 1),
    ("proc/meminfo", "%memused", "-r", "%memused", 1),
    ("proc/meminfo", "kbbuffers", "-r", "kbbuffers", 1),
    ("proc/meminfo", "kbcached", "-r", "kbcached", 1),
    ("proc/meminfo", "kbcommit", "-r", "kbcommit", 1),
    ("proc/meminfo", "%commit", "-r", "%commit", 1),
    ("proc/meminfo", "kbactive", "-r", "kbactive", 1),
    ("proc/meminfo", "kbinact", "-r", "kbinact", 1),
    ("proc/meminfo", "kbdirty", "-r", "kbdirty", 1),
    ("proc/net/dev", "rxpck/s", "-n DEV", "rxpck/s", 1),
    ("proc/net/dev", "txpck/s", "-n DEV", "txpck/s", 1),
    ("proc/net/dev", "rxkB/s", "-n DEV", "rxkB/s", 1),
    ("proc/net/dev", "txkB/s", "-n DEV", "txkB/s", 1),
    ("proc/net/dev", "rxcmp/s", "-n DEV", "rxcmp/s", 1),
    ("proc/net/dev", "txcmp/s", "-n DEV", "txcmp/s", 1),
    ("proc/net/dev", "rxmcst/s", "-n DEV", "rxmcst/s", 1),
    ("proc/net/dev", "%ifutil", "-n DEV", "%ifutil", 1),
    ("proc/diskstats", "tps", "-d -p", "tps", 1),
    ("proc/diskstats", "bread/s", "-d -p", "rkB/s", 0.5),  # 512-byte sectors -> kB
    ("proc/diskstats", "bwrtn/s", "-d -p", "wkB/s", 0.5),
    ("proc/diskstats", "bdscd/s", "-d -p", "dkB/s", 0.5),
    ("proc/diskstats", "areq-sz", "-d -p", "areq-sz", 1),
    ("proc/diskstats", "aqu-sz", "-d -p", "aqu-sz", 1),
    ("proc/diskstats", "await", "-d -p", "await", 1),
    ("proc/diskstats", "%util", "-d -p", "%util", 1),
    ("proc/vmstat", "pgpgin/s", "-B", "pgpgin/s", 1),
    ("proc/vmstat", "pgpgout/s", "-B", "pgpgout/s", 1),
    ("proc/vmstat", "fault/s", "-B", "fault/s", 1),
    ("proc/vmstat", "majflt/s", "-B", "majflt/s", 1),
    ("proc/vmstat", "pgfree/s", "-B", "pgfree/s", 1),
    ("proc/vmstat", "pgscank/s", "-B", "pgscank/s", 1),
    ("proc/vmstat", "pgscand/s", "-B", "pgscand/s", 1),
    ("proc/vmstat", "pgsteal/s", "-B", "pgsteal/s", 1),
    ("proc/vmstat", "%vmeff", "-B", "%vmeff", 1),
    ("proc/loadavg", "runq-sz", "-q", "runq-sz", 1),
    ("proc/loadavg", "plist-sz", "-q", "plist-sz", 1),
    ("proc/loadavg", "ldavg-1", "-q", "ldavg-1", 1),
    ("proc/loadavg", "ldavg-5", "-q", "ldavg-5", 1),
    ("proc/loadavg", "ldavg-15", "-q", "ldavg-15", 1),
]
KEY_COLUMN = {"proc/stat": "CPU", "proc/net/dev": "IFACE", "proc/diskstats": "DEV"}
SAR_KEY = {"-u -P ALL": "CPU", "-n DEV": "IFACE", "-d -p": "DEV"}


def find_sadc():
    for p in ("/usr/lib/sysstat/sadc", "/usr/lib64/sa/sadc", "/usr/lib/sa/sadc"):
        if os.access(p, os.X_OK):
            return p
    sys.exit("sar_compare: sadc not found; install sysstat (apt-get install -y sysstat)")


def start_load(workdir, seconds, stop):
    """CPU, O_DIRECT disk and loopback network load until `stop` is set."""
    procs = [subprocess.Popen(["timeout", str(seconds), "sha256sum", "/dev/zero"],
                              stdout=subprocess.DEVNULL)]
    disk = os.path.join(workdir, "dd.bin")
    procs.append(subprocess.Popen(
        ["timeout", str(seconds), "sh", "-c",
         f"while :; do dd if=/dev/zero of={disk} bs=1M count=64 oflag=direct 2>/dev/null; "
         f"dd if={disk} of=/dev/null bs=256k iflag=direct 2>/dev/null; done"]))

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def sink():
        conn, _ = server.accept()
        while conn.recv(1 << 16):
            pass

    def source():
        c = socket.create_connection(server.getsockname())
        chunk = b"x" * 65536
        while not stop.is_set():
            c.sendall(chunk)
            time.sleep(0.002)  # about 30 MB/s: visible, not saturating
        c.close()

    threads = [threading.Thread(target=sink, daemon=True), threading.Thread(target=source)]
    for t in threads:
        t.start()
    return procs, threads


def read_pcprocess(outdir, rel):
    path = os.path.join(outdir, rel)
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.lstrip("#") for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:]]


def read_sadf(sa_file, flags):
    out = subprocess.run(["sadf", "-d", "-U", sa_file, "--"] + flags.split(),
                         capture_output=True, text=True, check=True).stdout
    rows, header = [], None
    for line in out.splitlines():
        if line.startswith("# "):
            header = line[2:].split(";")
            continue
        if header and line:
            rows.append(dict(zip(header, line.split(";"))))
    return rows


def series(rows, ts_key, key_col, value_col, scale):
    """{device: [(timestamp, value)]} from rows."""
    out = {}
    for r in rows:
        if value_col not in r:
            continue
        key = r.get(key_col, "") if key_col else ""
        if key in ("all",):
            key = "-1"
        try:
            out.setdefault(key, []).append((int(float(r[ts_key])), float(r[value_col]) * scale))
        except ValueError:
            pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workdir")
    ap.add_argument("--no-load", action="store_true")
    a = ap.parse_args()
    sadc = find_sadc()
    bindir = os.path.abspath(os.path.join(a.build, "bin"))
    workdir = a.workdir or tempfile.mkdtemp(prefix="sar-compare-")
    os.makedirs(workdir, exist_ok=True)
    collection = os.path.join(workdir, "pcc.json")
    sa_file = os.path.join(workdir, "sa.bin")
    for f in (collection, sa_file):
        if os.path.exists(f):
            os.remove(f)

    stop = threading.Event()
    load = ([], []) if a.no_load else start_load(workdir, a.seconds + 3, stop)
    env = dict(os.environ, PCC_MODE="local", PCC_COLLECTION=collection, PCC_FREQUENCY="1s",
               PCC_DURATION=f"{a.seconds}s",
               PCC_SUBSYSTEMS="default,/proc/uptime,/proc/vmstat,/proc/loadavg")
    pcc = subprocess.Popen([os.path.join(bindir, "pcc")], env=env, stderr=subprocess.DEVNULL)
    sa = subprocess.Popen([sadc, "-S", "XALL", "1", str(a.seconds + 2), sa_file])
    pcc.wait()
    sa.wait()
    stop.set()
    for p in load[0]:
        p.wait()
    for t in load[1]:
        t.join()

    outdir = os.path.join(workdir, "out")
    shutil.rmtree(outdir, ignore_errors=True)
    subprocess.run([os.path.join(bindir, "pcprocess"), "--collection", collection, "--outdir",
                    outdir, "--loglevel", "error"], check=True)

    sadf_cache = {}
    print(f"# pcc + pcprocess (default mode) vs sadc/sadf, {a.seconds} s at 1 s, "
          f"{'no load' if a.no_load else 'CPU + O_DIRECT disk + loopback network load'}")
    print(f"{'file':<15} {'column':<10} {'device':<8} {'n':>4} {'pcc':>14} {'sar':>14} "
          f"{'diff':>12} {'diff %':>8}")
    for rel, col, flags, sar_col, scale in COLUMNS:
        if flags not in sadf_cache:
            sadf_cache[flags] = read_sadf(sa_file, flags)
        ours = series(read_pcprocess(outdir, rel), "timestamp", KEY_COLUMN.get(rel), col, scale)
        theirs = series(sadf_cache[flags], "timestamp", SAR_KEY.get(flags), sar_col, 1)
        for key in sorted(set(ours) & set(theirs)):
            o, t = ours[key], theirs[key]
            lo = max(o[0][0], t[0][0])
            hi = min(o[-1][0], t[-1][0])
            ow = [v for ts, v in o if lo <= ts <= hi]
            tw = [v for ts, v in t if lo <= ts <= hi]
            if not ow or not tw:
                continue
            om, tm = sum(ow) / len(ow), sum(tw) / len(tw)
            diff = om - tm
            pct = f"{diff / tm * 100:8.2f}" if abs(tm) > 1e-9 else f"{'-':>8}"
            print(f"{rel:<15} {col:<10} {key:<8} {len(ow):>4} {om:>14.2f} {tm:>14.2f} "
                  f"{diff:>12.2f} {pct}")
    print(f"# workdir {workdir}")


if __name__ == "__main__":
    main()
