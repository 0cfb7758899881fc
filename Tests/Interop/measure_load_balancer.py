"""Latency of a burst of POST /api/colorize sent straight to one `tinct serve` and through
nginx to two replicas (Tests/Interop/tinct-nginx.conf), on the same machine. A measurement,
not a test: it prints and asserts nothing. Both replicas share this machine's cores, so the
figures show what the proxy costs, not what a second machine would add.

    .venv/bin/python Tests/Interop/measure_load_balancer.py [--burst 48] [--concurrency 8]
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from burst import burst, page_headers, percentile  # noqa: E402
from cluster import Cluster, colorize_body, drawing_png  # noqa: E402


def summary(label, outcome):
    statuses = [status for status, *_ in outcome]
    counts = {str(status): statuses.count(status) for status in set(statuses)}
    seconds = [elapsed for status, _, _, elapsed in outcome if status == 200] or [float("nan")]
    return (f"{label}: answers {counts}, 200s p50 {percentile(seconds, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(seconds, 0.99) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=48)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    body = colorize_body(drawing_png(256))
    print(f"{args.burst} requests (256×256 line art, 2 hints), {args.concurrency} at a time, {os.cpu_count()} cores")
    with Cluster() as cluster:
        direct_port = cluster.replicas["a"]["port"]
        # Warm-up: each replica loads the model on its first request.
        burst(direct_port, body, page_headers(direct_port), args.concurrency, args.concurrency)
        burst(cluster.port, body, page_headers(cluster.port), args.concurrency, args.concurrency)
        for round_number in range(1, args.rounds + 1):
            direct = burst(direct_port, body, page_headers(direct_port), args.burst, args.concurrency)
            print(summary(f"round {round_number}, direct to one replica", direct))
            proxied = burst(cluster.port, body, page_headers(cluster.port), args.burst, args.concurrency)
            print(summary(f"round {round_number}, through nginx to two replicas", proxied))


if __name__ == "__main__":
    main()
