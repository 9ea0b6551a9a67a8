#!/usr/bin/python3
"""Prints the benchmark table: our figures, the peers' figures, the targets, PASS/MISS.

Usage: compare.py RESULTS [BASELINE]
RESULTS (and BASELINE, e.g. an earlier run) hold `name value unit` lines as written by
bench/run. With a baseline, a before/after column is added. Afterwards every figure is printed
again as a `name value unit` line. Exit status is 0 even when a target is missed: the table says.
"""
import sys


def load(path):
    figures, comments = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                comments.append(line)
                continue
            parts = line.split()
            if len(parts) >= 3:
                try:
                    figures[parts[0]] = (float(parts[1]), parts[2])
                except ValueError:
                    pass
    return figures, comments


def value(figs, name):
    v = figs.get(name)
    return None if v is None else v[0]


MB = 1_000_000
# (label, our figure, peer figure or None, rule, limit as text)
# rule(ours, peer) -> (limit value or None, ok or None when not computable)
TARGETS = [
    ("pcc instructions per tick vs sadc", "pcc.instructions_per_tick",
     "sadc.instructions_per_sample", lambda o, p: (0.25 * p, o <= 0.25 * p), "<= 0.25 x sadc"),
    ("pcc CPU time per tick (us) vs sadc", "pcc.cpu_per_tick", "sadc.cpu_per_sample",
     None, "(report)"),
    ("pcc peak RSS local (kB) vs sadc", "pcc.rss_peak_local", "sadc.rss_peak",
     lambda o, p: (p, o <= p), "<= sadc"),
    ("pcc peak RSS trickle (kB) vs sadc", "pcc.rss_peak_trickle", "sadc.rss_peak",
     lambda o, p: (2 * p, o <= 2 * p), "<= 2 x sadc"),
    ("pcc stripped size (bytes)", "pcc.size_stripped", None,
     lambda o, p: (MB, o <= MB), "<= 1 MB"),
    ("pcc CPU per tick (us) vs node_exporter per scrape", "pcc.cpu_per_tick",
     "node_exporter.cpu_per_scrape", None, "(report)"),
    ("pcc peak RSS local (kB) vs node_exporter", "pcc.rss_peak_local",
     "node_exporter.rss_peak", None, "(report)"),
    ("pcprocess throughput (MB/s)", "pcprocess.mb_per_s", None,
     lambda o, p: (200, o >= 200), ">= 200"),
    ("pcprocess peak RSS (kB)", "pcprocess.rss_peak", None,
     lambda o, p: (20 * 1024, o < 20 * 1024), "< 20 MiB"),
    ("pcprocess time / wc -l time", "pcprocess.ratio_to_wc", None, None, "(report)"),
    ("pcd requests/s, 100 clients", "pcd.clients100.requests_per_s", None,
     lambda o, p: (5000, o >= 5000), ">= 5000"),
    ("pcd p99 latency (ms), 100 clients", "pcd.clients100.p99", None,
     lambda o, p: (50, o < 50), "< 50 ms"),
    ("pcd peak RSS (kB), 100 clients", "pcd.clients100.rss_peak", None,
     lambda o, p: (64 * 1024, o < 64 * 1024), "< 64 MiB"),
]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return "{:,.0f}".format(v)
    return "{:.3g}".format(v)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    figs, comments = load(sys.argv[1])
    base = load(sys.argv[2])[0] if len(sys.argv) > 2 else None
    for c in comments:
        if c.startswith(("# date", "# machine", "# commit")):
            print(c)
    rows = [("what", "ours", "peer", "ratio", "target", "status")
            + (("before",) if base else ())]
    for label, ours_name, peer_name, rule, limit_text in TARGETS:
        o = value(figs, ours_name)
        p = value(figs, peer_name) if peer_name else None
        ratio = o / p if (o is not None and p) else None
        status = "-"
        if o is None:
            status = "NOT MEASURED"
        elif rule is not None and (peer_name is None or p is not None):
            _, ok = rule(o, p)
            status = "PASS" if ok else "MISS"
        row = (label, fmt(o), fmt(p), fmt(ratio) if ratio is not None else "-", limit_text,
               status)
        if base:
            row += (fmt(value(base, ours_name)),)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    skips = [c for c in comments if c.startswith("# SKIP")]
    if skips:
        print()
        print("\n".join(skips))
    print()
    for name, (v, unit) in figs.items():
        print("%s %s %s" % (name, fmt(v).replace(",", ""), unit))


if __name__ == "__main__":
    main()
