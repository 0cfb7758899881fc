#!/usr/bin/env python3
"""Load test for a running `tinct serve` on this machine (Python standard library only).

Fires a fixed number of POST /api/colorize requests (a 256x256 line-art PNG, four hints),
`--concurrency` at a time, all released together, while another thread polls GET /healthz.
Prints latency percentiles, the count of each answer, the slowest health check and the
server's peak resident memory (VmHWM from /proc/PID/status). Exits 1 if any answer is not
200, or 503 with a Retry-After header, or if the run exceeds --time-limit.

    .build/release/tinct serve --port 8091 &
    python3 scripts/loadtest.py --port 8091              # 100 requests, 100 at once

Only loopback addresses are accepted: this is a test of your own server, not of anyone's.
"""
import argparse
import base64
import http.client
import ipaddress
import json
import os
import socket
import struct
import sys
import threading
import time
import zlib


def line_art_png(side=256):
    """A white square with black outlines (circle, box, diagonal) as an 8-bit gray PNG."""
    rows = []
    center, radius = side / 2, side * 0.3
    for y in range(side):
        row = bytearray([0])  # filter type: none
        for x in range(side):
            ring = abs(((x - center) ** 2 + (y - center) ** 2) ** 0.5 - radius) < 1.5
            box = (side // 8 <= x <= 7 * side // 8 and y in (side // 8, 7 * side // 8)) or (
                side // 8 <= y <= 7 * side // 8 and x in (side // 8, 7 * side // 8))
            diagonal = abs(x - y) < 2
            row.append(0 if ring or box or diagonal else 255)
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def find_server_pid(port):
    """The pid of a `tinct serve` process whose command line names this port (Linux /proc)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in args if a]
        if any(w.endswith("tinct") for w in words[:1]) and "serve" in words:
            if f"--port={port}" in words or any(words[i] == "--port" and words[i + 1] == str(port)
                                                 for i in range(len(words) - 1)):
                return int(entry)
    return None


def memory_kib(pid, field):
    """VmRSS / VmHWM of a process in KiB, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--requests", type=int, default=100, help="POST /api/colorize requests in all (default 100)")
    parser.add_argument("--concurrency", type=int, default=100, help="requests in flight at once (default 100)")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds before the run counts as failed")
    parser.add_argument("--pid", type=int, help="server pid for its peak memory (default: found from --port)")
    parser.add_argument("--token", default=os.environ.get("TINCT_TOKEN"), help="access token (default $TINCT_TOKEN)")
    parser.add_argument("--mode", default="lineart")
    args = parser.parse_args()

    try:
        address = ipaddress.ip_address(socket.gethostbyname(args.host))
    except (OSError, ValueError):
        sys.exit(f"cannot resolve {args.host}")
    if not address.is_loopback:
        sys.exit(f"refusing to load-test {args.host}: only loopback addresses are allowed")

    pid = args.pid or find_server_pid(args.port)
    headers = {"Content-Type": "application/json"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    hints = [{"x": 40, "y": 60, "color": "#e04020"}, {"x": 200, "y": 70, "color": "#3366ff"},
             {"x": 128, "y": 128, "color": "#30a040", "r": 4}, {"x": 60, "y": 210, "color": "#f0c000"}]
    body = json.dumps({"image": base64.b64encode(line_art_png()).decode(), "mode": args.mode,
                       "hints": hints}).encode()

    lock = threading.Lock()
    results = []          # (status or exception name, seconds, retry_after present)
    health = []           # seconds per GET /healthz; None for a failure
    start_gate = threading.Event()
    done = threading.Event()
    next_request = [0]

    def worker():
        start_gate.wait()
        while True:
            with lock:
                if next_request[0] >= args.requests:
                    return
                next_request[0] += 1
            began = time.monotonic()
            try:
                connection = http.client.HTTPConnection(args.host, args.port, timeout=args.time_limit)
                connection.request("POST", "/api/colorize", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = (response.status, time.monotonic() - began, response.getheader("Retry-After") is not None)
                connection.close()
            except Exception as error:  # a refused or reset connection is an answer too: a bad one
                outcome = (type(error).__name__, time.monotonic() - began, False)
            with lock:
                results.append(outcome)

    def poll_health():
        start_gate.wait()
        while not done.is_set():
            began = time.monotonic()
            try:
                connection = http.client.HTTPConnection(args.host, args.port, timeout=30)
                connection.request("GET", "/healthz")
                ok = connection.getresponse().status == 200
                connection.close()
                health.append(time.monotonic() - began if ok else None)
            except Exception:
                health.append(None)
            time.sleep(0.05)

    rss_before = memory_kib(pid, "VmRSS") if pid else None
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    poller = threading.Thread(target=poll_health, daemon=True)
    for thread in threads + [poller]:
        thread.start()
    began = time.monotonic()
    start_gate.set()
    deadline = began + args.time_limit
    for thread in threads:
        thread.join(max(0, deadline - time.monotonic()))
    elapsed = time.monotonic() - began
    done.set()
    poller.join(5)
    timed_out = any(thread.is_alive() for thread in threads)

    with lock:
        finished = list(results)
    latencies = [seconds for _, seconds, _ in finished]
    ok = [r for r in finished if r[0] == 200]
    busy = [r for r in finished if r[0] == 503]
    busy_without_retry = [r for r in busy if not r[2]]
    other = [r for r in finished if r[0] not in (200, 503)]
    health_ok = [h for h in health if h is not None]

    print(f"requests: {len(finished)} of {args.requests} answered in {elapsed:.1f} s, {args.concurrency} concurrent")
    print(f"latency (all answers): p50 {percentile(latencies, 50) * 1000:.0f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms")
    if ok:
        ok_latencies = [r[1] for r in ok]
        print(f"latency (200 only):    p50 {percentile(ok_latencies, 50) * 1000:.0f} ms, "
              f"p99 {percentile(ok_latencies, 99) * 1000:.0f} ms")
    print(f"answers: 200 x{len(ok)}, 503 x{len(busy)} ({len(busy) - len(busy_without_retry)} with Retry-After), "
          f"other x{len(other)}" + (f" {sorted({str(r[0]) for r in other})}" if other else ""))
    print(f"healthz: {len(health_ok)} ok, {len(health) - len(health_ok)} failed, "
          f"p50 {percentile(health_ok, 50) * 1000:.1f} ms, max {max(health_ok, default=0) * 1000:.1f} ms")
    if pid:
        print(f"server pid {pid}: RSS before {rss_before} KiB, now {memory_kib(pid, 'VmRSS')} KiB, "
              f"peak (VmHWM) {memory_kib(pid, 'VmHWM')} KiB")
    else:
        print("server pid not found (pass --pid): peak memory not measured")

    problems = []
    if timed_out or len(finished) < args.requests:
        problems.append(f"only {len(finished)} of {args.requests} requests answered within {args.time_limit} s")
    if other:
        problems.append(f"{len(other)} answers were neither 200 nor 503")
    if busy_without_retry:
        problems.append(f"{len(busy_without_retry)} 503 answers had no Retry-After")
    if len(health_ok) < len(health):
        problems.append(f"{len(health) - len(health_ok)} health checks failed")
    for problem in problems:
        print(f"FAIL: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
