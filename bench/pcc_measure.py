#!/usr/bin/python3
"""Measures the agent's cost next to what users would run instead, in one run.

Parts (each can be chosen with --parts; a part whose tool is missing says so and is skipped):
  pcc      pcc on the live /proc: callgrind instructions per tick, CPU time per tick, peak RSS in
           local and trickle mode (trickle posts to a stub server on 127.0.0.1), RSS per mapped
           file (what each shared library costs), stripped size and what makes it big
  sadc     sysstat's `sadc -S DISK` on the live /proc, measured the same way
  nodeexp  Prometheus node_exporter restricted to the same collectors: CPU per scrape, RSS
  scale    pcc instructions per tick and peak RSS on generated PCC_PROCROOT trees
  link     pcc relinked with -static-libstdc++/-static-libgcc: RSS and size next to the default
  containers  pcc instructions per tick on a generated procroot, without containers, with
           container[*] on an empty cgroup v2 tree and on one with 20 containers (cgroup_gen.py)

Per-tick figures are the difference between a run of n and a run of n+k ticks divided by k,
so start-up and first-tick costs (e.g. /proc/cpuinfo) cancel. Every figure is printed and
appended to --results as a `name value unit` line.
"""
import argparse
import collections
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SADC_CANDIDATES = ["/usr/lib/sysstat/sadc", "/usr/lib64/sa/sadc", "/usr/libexec/sa/sadc"]
RESULTS = None


def emit(name, value, unit):
    if isinstance(value, float):
        value = ("%.4g" % value) if abs(value) < 1e6 else "%.0f" % value
    line = "%s %s %s" % (name, value, unit)
    print(line, flush=True)
    if RESULTS:
        with open(RESULTS, "a") as f:
            f.write(line + "\n")


def note(msg):
    print("# " + msg, flush=True)


def skip(part, why):
    note("SKIP %s: %s" % (part, why))
    if RESULTS:
        with open(RESULTS, "a") as f:
            f.write("# SKIP %s: %s\n" % (part, why))


# ---- running things -------------------------------------------------------------------------

def run_rusage(cmd, env=None, timeout=120, sample_smaps_after=None):
    """Runs cmd, returns (rc, user_s, sys_s, peak_rss_kb, smaps_by_file or None).

    CPU times come from os.wait4 (the child's own, microsecond resolution). Peak RSS is the
    last VmHWM read from /proc/<pid>/status while it runs (polled every 5 ms): ru_maxrss cannot
    be used because Linux carries the forking parent's (Python's) high-water mark over exec.
    If sample_smaps_after is set, /proc/<pid>/smaps is read that many seconds after the start
    (RSS per mapped file)."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    smaps = None
    start = time.monotonic()
    deadline = start + timeout
    err_chunks = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    hwm = 0
    exe = os.path.realpath(cmd[0])
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        try:
            # Only once the child has exec'd its program (before, it is a copy of Python).
            if os.path.realpath("/proc/%d/exe" % proc.pid) == exe:
                hwm = max(hwm, proc_status_kb(proc.pid, "VmHWM") or 0)
                if smaps is None and sample_smaps_after is not None and \
                        time.monotonic() - start >= sample_smaps_after:
                    smaps = read_smaps(proc.pid)
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(1)
    err = b"".join(c for c in err_chunks if c).decode(errors="replace")
    if proc.returncode != 0:
        note("command failed (rc %d): %s\n%s" % (proc.returncode, " ".join(cmd), err[-2000:]))
    return proc.returncode, ru.ru_utime, ru.ru_stime, hwm, smaps


def read_smaps(pid):
    """Rss (kB) per mapped file ("[anon]" for anonymous memory, "[heap]", "[stack]")."""
    by_file = collections.Counter()
    current = "[anon]"
    try:
        with open("/proc/%d/smaps" % pid) as f:
            for line in f:
                if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                    parts = line.split(None, 5)
                    current = parts[5].strip() if len(parts) > 5 and parts[5].strip() else "[anon]"
                elif line.startswith("Rss:"):
                    by_file[current] += int(line.split()[1])
                elif line.startswith("Pss:"):
                    # Proportional share: shared library pages divided among their users.
                    by_file["(pss total)"] += int(line.split()[1])
    except OSError as e:
        note("cannot read smaps of %d: %s" % (pid, e))
        return None
    return by_file


def callgrind_instructions(cmd, env, workdir, timeout=300):
    """Total user-space instructions (Ir, all threads) of one run under callgrind."""
    out = tempfile.mktemp(prefix="cg.", dir=workdir)
    full = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd
    r = subprocess.run(full, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=timeout)
    total = None
    if os.path.exists(out):
        with open(out) as f:
            for line in f:
                if line.startswith("totals:") or (total is None and line.startswith("summary:")):
                    total = int(line.split()[1])
    if r.returncode != 0 or total is None:
        raise RuntimeError("callgrind run failed (rc %d): %s\n%s" % (
            r.returncode, " ".join(cmd), r.stderr.decode(errors="replace")[-2000:]))
    return total, out


def annotate_functions(out):
    """{function: self instructions} from callgrind_annotate (every function, no threshold)."""
    r = subprocess.run(["callgrind_annotate", "--threshold=100", "--inclusive=no", out],
                       capture_output=True, text=True, timeout=120)
    funcs = collections.Counter()
    for line in r.stdout.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$", line)
        if m and "PROGRAM TOTALS" not in line:
            name = m.group(2)
            if name.startswith(("./", "/", "???")) and ":" in name:
                name = name.split(":", 1)[1]  # drop the source file
            funcs[name] += int(m.group(1).replace(",", ""))
    return funcs


def per_tick_profile(short_out, long_out, k, prefix, top=12):
    """Emits the functions that cost the most instructions per tick (long - short run) / k."""
    if not shutil.which("callgrind_annotate"):
        return
    a, b = annotate_functions(short_out), annotate_functions(long_out)
    diff = {f: (b[f] - a.get(f, 0)) / k for f in b}
    for f, v in sorted(diff.items(), key=lambda kv: -kv[1])[:top]:
        short = re.sub(r"\(.*", "", f.split(" [")[0]).replace(" ", "_")[-60:]
        lib = re.search(r"\[(.*)\]$", f)
        emit("%s.profile.%s@%s" % (prefix, short, os.path.basename(lib.group(1)) if lib else "?"),
             v, "instr/tick")


def parallel(*calls):
    """Runs the zero-argument calls in threads, returns their results in order. The runs mostly
    sleep between ticks, so running them side by side shortens the bench without changing
    instruction counts; CPU times are per process."""
    results = [None] * len(calls)
    errors = []

    def run(i, c):
        try:
            results[i] = c()
        except Exception as e:  # reported after all finished
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def per_tick(fn, n, k):
    """(fn(n+k) - fn(n)) / k for a function returning a number."""
    a = fn(n)
    b = fn(n + k)
    return (b - a) / k


# ---- pcc ------------------------------------------------------------------------------------

class Pcc:
    def __init__(self, binary, workdir, frequency_ms):
        self.binary = binary
        self.workdir = workdir
        self.freq_ms = frequency_ms

    def env(self, ticks, procroot=None, mode="local", extra=None):
        env = dict(os.environ)
        col = os.path.join(self.workdir, "pcc.%d.%d.json" % (os.getpid(), time.monotonic_ns()))
        env.update({
            "PCC_MODE": mode,
            "PCC_COLLECTION": col,
            "PCC_FREQUENCY": "%dms" % self.freq_ms,
            "PCC_DURATION": "%dms" % (self.freq_ms * ticks),
            "PCC_IDENTIFIER": "bench",
            "PCC_LOGLEVEL": "warn",
        })
        if procroot:
            env["PCC_PROCROOT"] = procroot
        env.update(extra or {})
        return env

    def instructions(self, ticks, procroot=None):
        return self.instructions_and_profile(ticks, procroot)[0]

    def instructions_and_profile(self, ticks, procroot=None):
        return callgrind_instructions([self.binary], self.env(ticks, procroot), self.workdir,
                                      timeout=60 + 3 * ticks * self.freq_ms / 1000)

    def rusage(self, ticks, procroot=None, mode="local", extra=None, smaps_after=None):
        return run_rusage([self.binary], self.env(ticks, procroot, mode, extra),
                          timeout=30 + 2 * ticks * self.freq_ms / 1000,
                          sample_smaps_after=smaps_after)


def probe_frequency(binary, workdir):
    """Checks that pcc runs a short local collection at 1 s (its smallest frequency)."""
    for ms in (1000,):
        p = Pcc(binary, workdir, ms)
        rc = p.rusage(2)[0]
        if rc == 0:
            return ms
        note("pcc refused PCC_FREQUENCY=%dms, trying a longer one" % ms)
    return None


class StubTrickleServer:
    """Answers every request with 200 {} on 127.0.0.1, like a pcd that stores instantly."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                body = b"{}"
                if self.path.startswith("/v1/ping"):
                    body = b'{"origintimestamp":0,"timestamp":0}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = _answer
            do_GET = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def lib_label(path):
    base = os.path.basename(path)
    return base if path.startswith("/") else path


def measure_pcc(binary, workdir, n, k, kn, freq_ms):
    p = Pcc(binary, workdir, freq_ms)
    emit("pcc.frequency", freq_ms, "ms")
    (short_instr, short_out), (long_instr, long_out) = parallel(
        lambda: p.instructions_and_profile(n), lambda: p.instructions_and_profile(n + k))
    emit("pcc.instructions_per_tick", (long_instr - short_instr) / k, "instr")
    shutil.copy(long_out, os.path.join(workdir, "pcc.callgrind.out"))
    per_tick_profile(short_out, long_out, k, "pcc")
    note("callgrind profile of the %d-tick run: %s (callgrind_annotate it)" % (
        n + k, os.path.join(workdir, "pcc.callgrind.out")))

    stub = StubTrickleServer()
    try:
        spool = tempfile.mkdtemp(prefix="spool.", dir=workdir)
        extra = {"PCC_SERVER_URL": "http://127.0.0.1:%d" % stub.port,
                 "PCC_APIKEY": "bench-key-0123456789abcdef", "PCC_SPOOL": spool,
                 "PCC_DRAIN_TIMEOUT": "5s"}
        smaps_at = (n + 1.5) * freq_ms / 1000
        short, long, tr = parallel(
            lambda: p.rusage(n), lambda: p.rusage(n + kn, smaps_after=smaps_at),
            lambda: p.rusage(n + kn, mode="trickle", extra=extra, smaps_after=smaps_at))
    finally:
        stub.close()
    if short[0] == 0 and long[0] == 0:
        cpu = ((long[1] + long[2]) - (short[1] + short[2])) / kn
        emit("pcc.cpu_per_tick", cpu * 1e6, "us")
        emit("pcc.rss_peak_local", long[3], "kB")
        report_smaps("pcc.local", long[4])
    if tr[0] == 0:
        emit("pcc.rss_peak_trickle", tr[3], "kB")
        emit("pcc.cpu_per_tick_trickle", ((tr[1] + tr[2]) - (short[1] + short[2])) / kn * 1e6,
             "us")
        report_smaps("pcc.trickle", tr[4])
    else:
        note("pcc trickle mode failed; trickle RSS not measured")


def report_smaps(prefix, smaps):
    if not smaps:
        return
    smaps = dict(smaps)
    pss = smaps.pop("(pss total)", None)
    emit(prefix + ".rss_mapped_total", sum(smaps.values()), "kB")
    if pss is not None:
        emit(prefix + ".pss_total", pss, "kB")
    for path, kb in sorted(smaps.items(), key=lambda kv: -kv[1]):
        if kb >= 4:
            emit("%s.rss_by_file.%s" % (prefix, lib_label(path)), kb, "kB")


SIZE_GROUPS = [("fmt", r"^fmt::"), ("spdlog", r"^spdlog::"), ("CLI11", r"^CLI::"),
               ("nlohmann_json", r"^nlohmann::"), ("httplib", r"^httplib::"),
               ("pc", r"^pc::"), ("std", r"^(std|__gnu_cxx|__cxxabiv1)::")]


def measure_size(binary, workdir):
    stripped = os.path.join(workdir, "pcc.stripped")
    subprocess.run(["strip", "-o", stripped, binary], check=True)
    emit("pcc.size_stripped", os.path.getsize(stripped), "bytes")
    emit("pcc.size_unstripped", os.path.getsize(binary), "bytes")
    nm = subprocess.run(["nm", "-C", "--size-sort", "-S", binary], capture_output=True, text=True)
    groups = collections.Counter()
    for line in nm.stdout.splitlines():
        parts = line.split(None, 3)
        if len(parts) < 4 or parts[2].lower() not in "tw":
            continue
        size, name = int(parts[1], 16), parts[3]
        # A template instance is charged to the first of our groups that its name mentions.
        label = "other"
        for g, rx in SIZE_GROUPS:
            if re.search(rx, name) or (g != "std" and g + "::" in name) or \
                    (g == "nlohmann_json" and "nlohmann::" in name):
                label = g
                break
        groups[label] += size
    for g, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        emit("pcc.text_by_library.%s" % g, size, "bytes")
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    libs = [l.split()[0] for l in ldd.splitlines() if "=>" in l]
    emit("pcc.shared_libraries", len(libs), "count")
    note("pcc links: " + " ".join(libs))


def measure_link_variants(binary, build_dir, workdir, freq_ms, n):
    """Relinks pcc with libstdc++/libgcc static and compares RSS and size with the default."""
    link_txt = os.path.join(build_dir, "CMakeFiles", "pcc.dir", "link.txt")
    if not os.path.exists(link_txt):
        skip("link", "no %s (pcc not built by CMake here)" % link_txt)
        return
    cmd = open(link_txt).read().strip()
    out = os.path.join(workdir, "pcc.static-libstdcxx")
    cmd = re.sub(r"-o \S+", "-o " + out, cmd, count=1) + " -static-libstdc++ -static-libgcc"
    r = subprocess.run(cmd, shell=True, cwd=build_dir, capture_output=True, text=True)
    if r.returncode != 0:
        skip("link", "relink failed: " + r.stderr[-500:])
        return
    stripped = out + ".stripped"
    subprocess.run(["strip", "-o", stripped, out], check=True)
    emit("pcc_static_libstdcxx.size_stripped", os.path.getsize(stripped), "bytes")
    for label, b in (("pcc", binary), ("pcc_static_libstdcxx", out)):
        rc, u, s, rss, smaps = Pcc(b, workdir, freq_ms).rusage(n)
        if rc == 0:
            emit("%s.rss_peak_local_link_cmp" % label, rss, "kB")


# ---- sadc -----------------------------------------------------------------------------------

def find_sadc():
    for c in SADC_CANDIDATES:
        if os.access(c, os.X_OK):
            return c
    return shutil.which("sadc")


def measure_sadc(workdir, n, k, kn):
    sadc = find_sadc()
    if not sadc:
        skip("sadc", "sadc not found (apt-get install sysstat)")
        return

    def cmd(tag, count):
        out = os.path.join(workdir, "sa.%s.%d" % (tag, count))
        if os.path.exists(out):
            os.unlink(out)
        return [sadc, "-S", "DISK", "1", str(count), out]

    def instr(count):
        return callgrind_instructions(cmd("cg", count), None, workdir, timeout=60 + 3 * count)

    def ru(count, smaps_after=None):
        return run_rusage(cmd("ru", count), timeout=30 + 2 * count, sample_smaps_after=smaps_after)

    calls = [lambda: ru(n), lambda: ru(n + kn, n + 0.5)]
    if shutil.which("valgrind"):
        calls += [lambda: instr(n), lambda: instr(n + k)]
    else:
        skip("sadc callgrind", "valgrind missing")
    res = parallel(*calls)
    if len(res) == 4:
        (ia, out_a), (ib, out_b) = res[2], res[3]
        emit("sadc.instructions_per_sample", (ib - ia) / k, "instr")
        per_tick_profile(out_a, out_b, k, "sadc", top=6)
    a, b = res[0], res[1]
    if a[0] == 0 and b[0] == 0:
        emit("sadc.cpu_per_sample", ((b[1] + b[2]) - (a[1] + a[2])) / kn * 1e6, "us")
        emit("sadc.rss_peak", b[3], "kB")
        report_smaps("sadc", b[4])


# ---- node_exporter --------------------------------------------------------------------------

NODE_COLLECTORS = ["cpu", "stat", "meminfo", "netdev", "diskstats", "filesystem"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 (1-based) of the whole line; 12 and 13 after ")".
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def measure_node_exporter(workdir, scrapes):
    exe = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
    if not exe:
        skip("nodeexp", "prometheus-node-exporter not installed")
        return
    port = free_port()
    cmd = [exe, "--web.listen-address=127.0.0.1:%d" % port, "--collector.disable-defaults"] + \
          ["--collector." + c for c in NODE_COLLECTORS]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = "http://127.0.0.1:%d/metrics" % port
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    skip("nodeexp", "node_exporter did not answer on 127.0.0.1:%d" % port)
                    return
                time.sleep(0.1)
        for _ in range(3):
            urllib.request.urlopen(url, timeout=5).read()
        c0 = proc_cpu_seconds(proc.pid)
        size = 0
        t0 = time.monotonic()
        for _ in range(scrapes):
            size = len(urllib.request.urlopen(url, timeout=5).read())
            if time.monotonic() - t0 > 60:
                break
        c1 = proc_cpu_seconds(proc.pid)
        emit("node_exporter.collectors", len(NODE_COLLECTORS), "count")
        emit("node_exporter.cpu_per_scrape", (c1 - c0) / scrapes * 1e6, "us")
        emit("node_exporter.scrape_size", size, "bytes")
        emit("node_exporter.rss", proc_status_kb(proc.pid, "VmRSS"), "kB")
        emit("node_exporter.rss_peak", proc_status_kb(proc.pid, "VmHWM"), "kB")
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- scaling --------------------------------------------------------------------------------

SCALE_TREES = [  # (name, cpus, disks, mounts)
    ("cpus2", 2, 4, 3), ("cpus64", 64, 4, 3), ("cpus256", 256, 4, 3),
    ("disks1000", 2, 1000, 3), ("mounts100", 2, 4, 100),
]


def measure_scale(binary, workdir, n, k, freq_ms, trees):
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "procroot_gen.py")
    p = Pcc(binary, workdir, freq_ms)
    for name, cpus, disks, mounts in SCALE_TREES:
        if trees and name not in trees:
            continue
        root = os.path.join(workdir, "procroot", name)
        if not os.path.exists(os.path.join(root, "stat")):
            subprocess.run([sys.executable, gen, root, "--cpus", str(cpus), "--disks", str(disks),
                            "--mounts", str(mounts)], check=True, stdout=subprocess.DEVNULL)
        try:
            a, b = parallel(lambda: p.instructions(n, root), lambda: p.instructions(n + k, root))
            emit("pcc.scale.%s.instructions_per_tick" % name, (b - a) / k, "instr")
        except RuntimeError as e:
            note(str(e))
            continue
        rc, u, s, rss, _ = p.rusage(n + 1, root)
        if rc == 0:
            emit("pcc.scale.%s.rss_peak" % name, rss, "kB")
        tick_bytes = sum(os.path.getsize(os.path.join(root, f)) for f in
                         ("stat", "meminfo", "diskstats", "net/dev"))
        emit("pcc.scale.%s.proc_bytes_per_tick" % name, tick_bytes, "bytes")


def measure_containers(binary, workdir, n, k, freq_ms, count=20):
    here = os.path.dirname(os.path.abspath(__file__))
    proot = os.path.join(workdir, "procroot", "cpus2")
    if not os.path.exists(os.path.join(proot, "stat")):
        subprocess.run([sys.executable, os.path.join(here, "procroot_gen.py"), proot, "--cpus", "2",
                        "--disks", "4", "--mounts", "3"], check=True, stdout=subprocess.DEVNULL)
    trees = {}
    for name, containers in (("empty", 0), ("c%d" % count, count)):
        root = os.path.join(workdir, "cgroup", name)
        if not os.path.exists(os.path.join(root, "cgroup.controllers")):
            subprocess.run([sys.executable, os.path.join(here, "cgroup_gen.py"), root,
                            "--containers", str(containers)], check=True)
        trees[name] = root
    p = Pcc(binary, workdir, freq_ms)

    def per_tick_instr(extra):
        def run(ticks):
            return callgrind_instructions([binary], p.env(ticks, proot, extra=extra), workdir,
                                          timeout=60 + 3 * ticks * freq_ms / 1000)[0]
        a, b = parallel(lambda: run(n), lambda: run(n + k))
        return (b - a) / k

    base = per_tick_instr({"PCC_SUBSYSTEMS": "default"})
    emit("pcc.containers.host_only.instructions_per_tick", base, "instr")
    empty = None
    for name, root in trees.items():
        v = per_tick_instr({"PCC_SUBSYSTEMS": "default,container[*]", "PCC_CGROUPROOT": root,
                            "PCC_DOCKER_ROOT": os.path.join(workdir, "no-docker")})
        emit("pcc.containers.%s.instructions_per_tick" % name, v, "instr")
        emit("pcc.containers.%s.ratio_to_host_only" % name, v / base, "x")
        if empty is None:
            empty = v
        else:
            # Issue 12's target: within 3 x a tick without containers (container[*] on, none run).
            emit("pcc.containers.%s.ratio_to_no_container" % name, v / empty, "x")


def main():
    global RESULTS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pcc", help="pcc binary (parts pcc, scale, link need it)")
    ap.add_argument("--build-dir", help="CMake build dir of pcc (for the link part)")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--results", help="append `name value unit` lines here")
    ap.add_argument("--parts", default="pcc,sadc,nodeexp,scale,link")
    ap.add_argument("--trees", default="", help="comma list of scale trees (default all)")
    ap.add_argument("-n", type=int, default=2, help="ticks of the short run")
    ap.add_argument("-k", type=int, default=8, help="extra ticks of the long run")
    ap.add_argument("--kn", type=int, default=20,
                    help="extra ticks of the long native run (CPU time per tick)")
    ap.add_argument("--scrapes", type=int, default=100)
    a = ap.parse_args()
    RESULTS = a.results
    os.makedirs(a.workdir, exist_ok=True)
    parts = set(a.parts.split(","))
    have_valgrind = shutil.which("valgrind") is not None

    if "sadc" in parts:
        measure_sadc(a.workdir, a.n, a.k, a.kn)
    if "nodeexp" in parts:
        measure_node_exporter(a.workdir, a.scrapes)
    pcc_parts = parts & {"pcc", "scale", "link", "containers"}
    if pcc_parts:
        if not a.pcc or not os.access(a.pcc, os.X_OK):
            skip(",".join(sorted(pcc_parts)), "no pcc binary at %s" % a.pcc)
            return
        freq = probe_frequency(a.pcc, a.workdir)
        if freq is None:
            skip(",".join(sorted(pcc_parts)), "pcc does not run a local collection with "
                 "PCC_* settings (not implemented yet?)")
            measure_size(a.pcc, a.workdir)
            return
        if "pcc" in parts:
            if have_valgrind:
                measure_pcc(a.pcc, a.workdir, a.n, a.k, a.kn, freq)
            else:
                skip("pcc", "valgrind missing")
            measure_size(a.pcc, a.workdir)
        if "scale" in parts and have_valgrind:
            measure_scale(a.pcc, a.workdir, a.n, a.k, freq,
                          [t for t in a.trees.split(",") if t])
        if "containers" in parts and have_valgrind:
            measure_containers(a.pcc, a.workdir, a.n, a.k, freq)
        if "link" in parts and a.build_dir:
            measure_link_variants(a.pcc, a.build_dir, a.workdir, freq, a.n + a.k)


def runstat(argv):
    """runstat NAME RESULTS -- CMD...: one bounded run of CMD; emits NAME.wall_s, NAME.cpu_s
    (user + system) and NAME.rss_peak (VmHWM). Used by bench/run for programs without their own
    measurement (e.g. pcprocess, wc -l)."""
    global RESULTS
    if len(argv) < 4 or argv[2] != "--":
        sys.exit("usage: pcc_measure.py runstat NAME RESULTS -- CMD...")
    name, RESULTS, cmd = argv[0], argv[1], argv[3:]
    t0 = time.monotonic()
    rc, user, sys_, hwm, _ = run_rusage(cmd, timeout=float(os.environ.get("RUNSTAT_TIMEOUT", 300)))
    wall = time.monotonic() - t0
    if rc != 0:
        skip(name, "exit status %d: %s" % (rc, " ".join(cmd)))
        sys.exit(1)
    emit(name + ".wall_s", wall, "s")
    emit(name + ".cpu_s", user + sys_, "s")
    emit(name + ".rss_peak", hwm, "kB")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "runstat":
        runstat(sys.argv[2:])
    else:
        main()
