#!/usr/bin/env python3
"""How many idle connections starve pcd over HTTPS (issue 16: HTTPS gets no front end).

Starts pcd with a throw-away certificate and PCD_THREADS=N, opens `held` connections that
send nothing (`tcp`: no TLS handshake) or stay idle after the handshake (`tls`), then times
one ping from another client. Over HTTP the front end parks such connections; over HTTPS
httplib gives each one a worker until its read timeout (10 s) or keep-alive (5 s).

Usage: bench/https_hold.py <build dir> <threads> <held> tcp|tls
"""
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time


def main():
    build, threads, held, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    work = tempfile.mkdtemp(prefix="https-hold-")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    home = os.path.join(work, "home")
    os.makedirs(home)
    with open(os.path.join(home, "apikeys"), "w") as f:
        f.write("agentkey-12345678\n")
    os.chmod(os.path.join(home, "apikeys"), 0o600)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PCD_HOME=home, PCD_LISTENADDRESS=f"127.0.0.1:{port}",
               PCD_TLSCERT=cert, PCD_TLSKEY=key, PCD_THREADS=str(threads))
    pcd = subprocess.Popen([os.path.join(build, "bin", "pcd")], env=env,
                           stderr=subprocess.DEVNULL)
    ctx = ssl.create_default_context(cafile=cert)

    def ping(timeout):
        start = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    tls.sendall(b"GET /v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    status = tls.recv(12).decode(errors="replace")
        except OSError as e:
            status = repr(e)
        return time.monotonic() - start, status

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = ping(5)
        held_sockets = []
        for _ in range(held):
            s = socket.create_connection(("127.0.0.1", port))
            held_sockets.append(ctx.wrap_socket(s, server_hostname="127.0.0.1") if mode == "tls"
                                else s)
        time.sleep(0.5)
        during = ping(30)
        print(f"threads={threads} held={held} ({mode}): ping {base[0] * 1000:.1f} ms before, "
              f"{during[0] * 1000:.1f} ms while held ({during[1]})")
        for s in held_sockets:
            s.close()
    finally:
        pcd.terminate()
        pcd.wait()


if __name__ == "__main__":
    main()
