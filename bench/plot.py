#!/usr/bin/python3
"""Draws the scaling chart (one PNG) from bench/run's results with gnuplot.

Usage: plot.py RESULTS OUT.png
Panels: pcc instructions per tick versus CPUs; versus disks and mounts; pcd requests/s and p99
latency versus concurrent clients. A panel without data says so; without gnuplot the chart is
skipped with a message (apt-get install gnuplot-nox).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


# An empty panel: a constant outside the visible range, and a label saying why.
EMPTY = ("set label 1 '%s' at graph 0.2,0.5\nset yrange [0:1]\nplot -1 notitle\n"
         "unset label 1\nset yrange [0:*]")


def load(path):
    figs = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and not line.startswith("#"):
                try:
                    figs[p[0]] = float(p[1])
                except ValueError:
                    pass
    return figs


def series(figs, pattern):
    """[(x, value)] for names matching pattern with one numeric group, sorted by x."""
    out = []
    for name, v in figs.items():
        m = re.fullmatch(pattern, name)
        if m:
            out.append((int(m.group(1)), v))
    return sorted(out)


def write_dat(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(" ".join(str(x) for x in r) + "\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results, png = sys.argv[1], sys.argv[2]
    if not shutil.which("gnuplot"):
        print("plot: SKIP chart: gnuplot not installed (apt-get install gnuplot-nox)")
        return
    figs = load(results)
    tmp = tempfile.mkdtemp(prefix="plot.")
    cpus = [(x, v / 1000) for x, v in series(figs, r"pcc\.scale\.cpus(\d+)\.instructions_per_tick")]
    base = figs.get("pcc.scale.cpus2.instructions_per_tick")
    disks = [(4, base / 1000)] if base is not None else []
    disks += [(x, v / 1000) for x, v in series(figs, r"pcc\.scale\.disks(\d+)\.instructions_per_tick")]
    mounts = [(3, base / 1000)] if base is not None else []
    mounts += [(x, v / 1000) for x, v in series(figs, r"pcc\.scale\.mounts(\d+)\.instructions_per_tick")]
    rps = series(figs, r"pcd\.clients(\d+)\.requests_per_s")
    p99 = dict(series(figs, r"pcd\.clients(\d+)\.p99"))
    pcd = [(x, v, p99.get(x, "NaN")) for x, v in rps]
    sadc = figs.get("sadc.instructions_per_sample")
    for name, rows in (("cpus", cpus), ("disks", disks), ("mounts", mounts), ("pcd", pcd)):
        write_dat(os.path.join(tmp, name + ".dat"), rows)

    def d(name):
        return os.path.join(tmp, name + ".dat")

    sadc_line = ("%g title 'sadc -S DISK per sample (live host)' dt 2 lc rgb 'gray40'"
                 % (sadc / 1000)) if sadc else ""
    script = ["set terminal pngcairo noenhanced size 1500,480 font 'sans,10'",
              "set output '%s'" % png,
              "set multiplot layout 1,3 title 'perfcollector scaling (%s)'" % (
                  os.path.basename(os.path.dirname(os.path.abspath(results))) or "bench"),
              "set grid", "set key top left", "set logscale x 2"]
    # Panel 1: CPUs.
    script += ["set key bottom right", "set title 'pcc cost per tick vs CPUs'", "set xlabel 'CPUs in PCC_PROCROOT tree'",
               "set ylabel 'thousand instructions per tick (callgrind)'", "set yrange [0:*]"]
    if cpus:
        script.append("plot '%s' using 1:2 with linespoints pt 7 lw 2 title 'pcc'%s" % (
            d("cpus"), (", " + sadc_line) if sadc_line else ""))
    else:
        script.append(EMPTY % "no data")
    # Panel 2: disks and mounts.
    script += ["set key top left", "set title 'pcc cost per tick vs disks and mounts'",
               "set xlabel 'disk devices / statfs mounts'", "set logscale x 10"]
    if disks or mounts:
        script.append("plot '%s' using 1:2 with linespoints pt 7 lw 2 title 'disks (2 CPUs)', "
                      "'%s' using 1:2 with linespoints pt 5 lw 2 title 'mounts (2 CPUs)'" % (
                          d("disks"), d("mounts")))
    else:
        script.append(EMPTY % "no data")
    # Panel 3: pcd.
    script += ["set title 'pcd ingest vs concurrent clients'", "set xlabel 'keep-alive clients'",
               "set ylabel 'requests/s'", "set y2label 'p99 latency (ms)'", "set y2tics",
               "set ytics nomirror", "set y2range [0:*]"]
    if pcd:
        script.append("plot '%s' using 1:2 axes x1y1 with linespoints pt 7 lw 2 title 'requests/s', "
                      "'%s' using 1:3 axes x1y2 with linespoints pt 5 lw 2 dt 3 title 'p99 ms'" % (
                          d("pcd"), d("pcd")))
    else:
        script.append(EMPTY % "no pcd data (bench/pcd_bench did not run)")
    script.append("unset multiplot")
    gp = os.path.join(tmp, "chart.gp")
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    r = subprocess.run(["gnuplot", gp], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        print("plot: gnuplot failed:\n" + r.stderr[-1500:])
        sys.exit(1)
    print("plot: wrote %s" % png)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
