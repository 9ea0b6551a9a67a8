#!/usr/bin/python3
"""What each linking choice costs a pcc-like agent in peak RSS and stripped size.

Builds bench/pcc_linkcost/probe.cpp (a tick loop like pcc's local mode) in several link
configurations with g++ and runs each for a few ticks, reporting peak RSS (VmHWM), RSS per
mapped file and stripped size as `name value unit` lines. Variants:
  base_dynamic        libstdc++ shared (the default C++ link)
  base_static_cxx     -static-libstdc++ -static-libgcc
  base_static         fully static
  spdlog_dynamic      + spdlog and fmt as Debian's shared libraries
  spdlog_ho_static_cxx  + spdlog and fmt header-only, -static-libstdc++
  http_dynamic        + libcpp-httplib (and OpenSSL, zlib, brotli) linked, unused: pcc local mode
  http_dynamic_used   the same binary making one HTTP request attempt: pcc trickle mode
  http_static_cxx     + httplib linked, -static-libstdc++ -static-libgcc

Usage: pcc_linkcost.py --workdir DIR [--results FILE]
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcc_measure  # noqa: E402  (shares run_rusage, emit, skip)

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "pcc_linkcost", "probe.cpp")


def pkg(*args):
    r = subprocess.run(["pkg-config"] + list(args), capture_output=True, text=True)
    return r.stdout.split() if r.returncode == 0 else None


def variants():
    http = pkg("--cflags", "--libs", "cpp-httplib", "openssl", "zlib")
    cxx_static = ["-static-libstdc++", "-static-libgcc"]
    v = [("base_dynamic", [], [], None),
         ("base_static_cxx", [], cxx_static, None),
         ("base_static", [], ["-static"], None),
         ("spdlog_dynamic", ["-DPROBE_SPDLOG", "-DSPDLOG_COMPILED_LIB", "-DSPDLOG_SHARED_LIB",
                             "-DSPDLOG_FMT_EXTERNAL"], ["-lspdlog", "-lfmt"], None),
         ("spdlog_ho_static_cxx", ["-DPROBE_SPDLOG", "-DSPDLOG_FMT_EXTERNAL", "-DFMT_HEADER_ONLY"],
          cxx_static, None)]
    if http:
        spd = ["-DPROBE_SPDLOG", "-DSPDLOG_COMPILED_LIB", "-DSPDLOG_SHARED_LIB",
               "-DSPDLOG_FMT_EXTERNAL", "-DPROBE_HTTPLIB"]
        libs = ["-lspdlog", "-lfmt"] + http
        v += [("http_dynamic", spd, libs, None),
              ("http_dynamic_used", spd, libs, {"PROBE_HTTP_USE": "1"}),
              ("http_static_cxx", spd, libs + cxx_static, None)]
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--results")
    ap.add_argument("--ticks", type=int, default=5)
    a = ap.parse_args()
    pcc_measure.RESULTS = a.results
    if not shutil.which("g++"):
        pcc_measure.skip("linkcost", "g++ not installed")
        return
    os.makedirs(a.workdir, exist_ok=True)
    built = {}
    for name, cflags, ldflags, env_extra in variants():
        exe = os.path.join(a.workdir, "probe_" + name.replace("_used", ""))
        if exe not in built:
            cmd = ["g++", "-std=c++20", "-O2", "-o", exe, PROBE] + cflags + ldflags + ["-pthread"]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                pcc_measure.skip("linkcost." + name, "does not link here: " +
                                 r.stderr.strip().splitlines()[-1][:200])
                built[exe] = False
                continue
            subprocess.run(["strip", "-o", exe + ".stripped", exe], check=True)
            built[exe] = True
        if not built[exe]:
            continue
        env = dict(os.environ)
        env.update(env_extra or {})
        rc, user, sys_, hwm, smaps = pcc_measure.run_rusage(
            [exe, str(a.ticks), os.path.join(a.workdir, "probe.out")], env=env, timeout=30,
            sample_smaps_after=0.25)
        if rc != 0:
            continue
        pcc_measure.emit("linkcost.%s.rss_peak" % name, hwm, "kB")
        pcc_measure.emit("linkcost.%s.size_stripped" % name, os.path.getsize(exe + ".stripped"),
                         "bytes")
        if smaps:
            if "(pss total)" in smaps:
                pcc_measure.emit("linkcost.%s.pss_total" % name, smaps["(pss total)"], "kB")
            libs = sorted(((k, v) for k, v in smaps.items() if ".so" in k),
                          key=lambda kv: -kv[1])
            pcc_measure.note("%s: %s" % (name, ", ".join(
                "%s %d kB" % (os.path.basename(k), v) for k, v in libs)))
            for k, v in libs:
                pcc_measure.emit("linkcost.%s.rss_by_file.%s" % (name, os.path.basename(k)), v,
                                 "kB")


if __name__ == "__main__":
    main()
