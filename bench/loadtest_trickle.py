#!/usr/bin/env python3
"""Trickle latency with and without a pcd load test running (issue 15, docs/pcd.md).

Starts BIN/pcd on 127.0.0.1:0 with a temporary home, then posts one-tick trickle batches on
one keep-alive connection, one after another: first for --seconds with pcd idle (baseline),
then while a POST /v1/loadtest runs (--seconds-per-level x 10). Prints `name value unit` lines:
p50, p99 and max latency in ms and the request count of each phase.

    bench/loadtest_trickle.py [--bin build/bin] [--seconds 10] [--seconds-per-level 1]
"""
import argparse
import http.client
import json
import os
import re
import subprocess
import tempfile
import threading
import time

KEY = "bench-loadtest-key-0001"


def start_pcd(bin_dir, home, seconds_per_level):
    with open(os.path.join(home, "apikeys"), "w") as f:
        f.write(KEY + "\n")
    os.chmod(os.path.join(home, "apikeys"), 0o600)
    env = dict(os.environ, PCD_HOME=home, PCD_LISTENADDRESS="127.0.0.1:0", PCD_RATELIMIT="0",
               PCD_LOADTEST_SECONDS_PER_LEVEL=str(seconds_per_level))
    log = open(os.path.join(home, "pcd.log"), "w+")
    proc = subprocess.Popen([os.path.join(bin_dir, "pcd")], env=env, stderr=log)
    deadline = time.time() + 15
    while time.time() < deadline:
        log.seek(0)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("pcd did not start")


def trickle(port, until):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    ms, errors, ts = [], 0, 1767800000
    while not until():
        body = json.dumps({"identifier": "bench-01", "measurements": [
            {"timestamp": ts, "subsystem": "/proc/loadavg",
             "measurement": "0.50 0.40 0.30 1/100 42\n"}]})
        ts += 1
        start = time.perf_counter()
        conn.request("POST", "/v1/trickle", body,
                     {"apikey": KEY, "Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        ms.append((time.perf_counter() - start) * 1000)
        errors += resp.status != 200
    conn.close()
    return ms, errors


def report(name, ms, errors):
    ms.sort()
    pick = lambda q: ms[min(len(ms) - 1, int(len(ms) * q))]
    print(f"{name}_requests {len(ms)} count")
    print(f"{name}_errors {errors} count")
    print(f"{name}_latency_p50 {pick(0.5):.2f} ms")
    print(f"{name}_latency_p99 {pick(0.99):.2f} ms")
    print(f"{name}_latency_max {ms[-1]:.2f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/bin")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--seconds-per-level", type=float, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        proc, port = start_pcd(a.bin, home, a.seconds_per_level)
        try:
            end = time.time() + a.seconds
            report("idle", *trickle(port, lambda: time.time() > end))
            result = {}

            def loadtest():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                conn.request("POST", "/v1/loadtest", "{}", {"apikey": KEY})
                resp = conn.getresponse()
                result["status"], result["body"] = resp.status, resp.read()

            t = threading.Thread(target=loadtest)
            t.start()
            report("loadtest", *trickle(port, lambda: not t.is_alive()))
            t.join()
            body = json.loads(result["body"])
            print(f"loadtest_status {result['status']} code")
            print(f"loadtest_units_per_sec {body.get('unitsPerSec', 0)} units/s")
        finally:
            proc.terminate()
            proc.wait(15)


if __name__ == "__main__":
    main()
