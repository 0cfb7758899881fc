"""Data-parallel training speed on this machine, and an estimate for several hosts.

Not a test (nothing is asserted); prints a Markdown table. For each shipped model's training
configuration (README of models/default-*: size 128, batch 4):

- seconds per step of 1 rank × 2 threads (TINCT_WORKERS=2) against 2 ranks × 1 thread
  (`mpirun -np 2`, TINCT_WORKERS=1 each), from the wall time of two runs of different
  lengths (their difference removes start-up, data loading and the final checkpoint);
- the bytes and all-reduces per step that each rank sends (tinct's own count, printed by
  rank 0 at the end of a data-parallel run);
- an estimate of the scaling efficiency on 2, 4 and 8 hosts joined by 10 GbE, each host
  computing batch 4 (weak scaling: the global batch grows with the hosts) as fast as 1 rank ×
  2 threads here, with a ring all-reduce: 2(N−1)/N × bytes at the link rate, plus a
  latency per all-reduce for each of its 2(N−1) phases (batch norm's sums are small and
  many: latency counts). Communication is not overlapped with computing in tinct, so
  efficiency = compute / (compute + communication).

Usage: python3 Tests/MPI/bench_data_parallel.py [--steps 3,15] (TINCT_BINARY as for the tests).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_data_parallel import MPI_FLAGS, MPIRUN, TINCT, write_pictures  # noqa: E402

CONFIGURATIONS = {
    "default-lineart": ["--mode", "lineart", "--size", "128", "--downs", "7", "--ngf", "32", "--ndf", "32", "--batch", "4"],
    "default-photo": ["--mode", "photo", "--size", "128", "--downs", "6", "--ngf", "16", "--ndf", "32", "--batch", "4"],
}
LINK_BYTES_PER_SECOND = 10e9 / 8 * 0.9  # 10 GbE at 90% of line rate after TCP/IP framing
LATENCY_SECONDS = 50e-6  # one small message between hosts over TCP (Open MPI's tcp transport)


def timed_run(folder: Path, data: Path, options: list, steps: int, ranks: int) -> tuple:
    out = folder / f"run-{ranks}-{steps}"
    command = [str(TINCT), "train", "--data", str(data), "--out", str(out), *options, "--steps", str(steps),
               "--checkpoint-every", "1000", "--sample-every", "1000", "--val-pictures", "2"]
    workers = 2 if ranks == 1 else 1
    if ranks > 1:
        command = [MPIRUN, *MPI_FLAGS[:-1], f"TINCT_WORKERS={workers}", "-np", str(ranks), *command]
    started = time.monotonic()
    result = subprocess.run(command, env=dict(os.environ, TINCT_WORKERS=str(workers)), capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stderr


def main() -> None:
    steps = [int(s) for s in (sys.argv[sys.argv.index("--steps") + 1] if "--steps" in sys.argv else "3,15").split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="tinct-mpi-bench-") as folder:
        tmp = Path(folder)
        data = tmp / "pictures"
        write_pictures(data, count=12, side=160)
        for name, options in CONFIGURATIONS.items():
            per_step = {}
            for ranks in (1, 2):
                (short, _), (long, log) = (timed_run(tmp, data, options, s, ranks) for s in steps)
                per_step[ranks] = (long - short) / (steps[1] - steps[0])
            match = re.search(r"all-reduced per step and rank: (\d+) bytes in ([\d.]+) all-reduces \(gradients of G and D (\d+) bytes", log)
            if not match:
                sys.exit(f"no data-parallel summary in the output:\n{log}")
            total, calls, gradients = int(match[1]), float(match[2]), int(match[3])
            estimates = []
            for hosts in (2, 4, 8):
                communication = 2 * (hosts - 1) / hosts * total / LINK_BYTES_PER_SECOND + calls * 2 * (hosts - 1) * LATENCY_SECONDS
                estimates.append(per_step[1] / (per_step[1] + communication))
            rows.append((name, per_step[1], per_step[2], total, calls, gradients, estimates))
    load = os.getloadavg()[0]
    print(f"load average during the runs: {load:.1f} (2 cores)\n")
    print("| configuration | 1 rank × 2 threads s/step | 2 ranks × 1 thread s/step | bytes all-reduced per step and rank (gradients) | all-reduces per step | est. efficiency 2 / 4 / 8 hosts, 10 GbE |")
    print("|---|---|---|---|---|---|")
    for name, one, two, total, calls, gradients, estimates in rows:
        print(f"| {name} | {one:.2f} | {two:.2f} | {total / 1e6:.1f} MB ({gradients / 1e6:.1f} MB) | {calls:.0f} | "
              + " / ".join(f"{e:.0%}" for e in estimates) + " |")


if __name__ == "__main__":
    main()
