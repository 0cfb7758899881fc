"""`mpirun -np 2 tinct train` (data-parallel training over Open MPI) end to end:

- two ranks at a global batch of 4 (2 pictures each) end 10 steps with the weights of one
  process at batch 4 — batch norm synchronized, dropout masks and augmentations sliced from
  the same global batch;
- rank 0 alone writes the run folder (one `started`, one `finished`, one sample);
- README's hostfile recipe, both ranks on loopback over TCP, ends bit for bit as the run above;
- a rank killed mid-run stops the whole job, the last checkpoint stays intact, and the run
  resumes on two ranks exactly where an uninterrupted run would be.

Needs Open MPI's mpirun (Debian openmpi-bin; `make test-mpi` installs it) and a tinct binary
(TINCT_BINARY, else .build/release/tinct). Each rank and the single process run with one
worker thread, so the two processes of the parallel run share this machine's two cores."""

import array
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Browser"))
from harness import TINCT, png_bytes, run_tests  # noqa: E402

MPIRUN = shutil.which("mpirun") or "/usr/bin/mpirun"
# --oversubscribe: more ranks than cores is allowed (CI machines may have one);
# --allow-run-as-root: mpirun refuses root otherwise (CI and this machine run as root).
MPI_FLAGS = ["--oversubscribe", "--allow-run-as-root", "--bind-to", "none", "-x", "TINCT_WORKERS=1"]
OPTIONS = ["--size", "32", "--downs", "5", "--ngf", "8", "--ndf", "8", "--batch", "4", "--seed", "7",
           "--sample-every", "10", "--checkpoint-every", "5", "--val-pictures", "2"]
# Relative tolerance on each network as a whole (G, then D: weights and batch-norm
# statistics), as ‖a − b‖ / ‖a‖ over all its tensors. The two runs compute the same sums in
# different orders: batch-norm statistics add two ranks' partial sums, gradients are averaged
# as (g₀ + g₁)/2 instead of one sum over four pictures, and the convolutions' products run
# over 2 pictures instead of 4. Each such step changes a float32 result by about 1e-7
# relative, and Adam turns a gradient that is only rounding noise into a full step of either
# sign (its first step is the gradient's sign), so a few elements of a small tensor can
# differ by a learning rate: per tensor, a batch-norm bias of norm 3e-3 differed by 1e-5
# relative with OpenBLAS's SkylakeX kernels, 2.6e-5 with Haswell's and 1e-2 with Prescott's
# (session 10). Over the whole network (measured on this test's run): 1.3e-7 (SkylakeX),
# 3.4e-7 (Haswell), 4.8e-5 (Prescott), 5e-8 and 2e-8 (the naive GEMM twins). A rank that
# trained on other pictures, with another dropout mask or with its own batch-norm statistics
# changes every weight at the scale of the learning rate (the weights move by about 2e-2
# relative in 5 steps, which the test checks so that the comparison means something); even a
# learning rate 5 % higher on the two ranks makes G differ by 3.7e-4.
TOLERANCE = 1e-4


def write_pictures(folder: Path, count: int = 10, side: int = 40) -> None:
    """`count` drawings of `side` pixels: dark outlines over colored bands, 2 of them in val/."""
    for i in range(count):
        sub = folder / ("val" if i >= count - 2 else "train")
        sub.mkdir(parents=True, exist_ok=True)

        def pixel(x, y, i=i):
            if x % 11 == i % 11 or y % 9 == (2 * i) % 9:
                return (20, 20, 30)
            band = (x * (i % 3 + 1) + y) // 7 % 3
            return [(230, 80 + 9 * i, 40), (50, 190, 70 + 12 * i), (60 + 14 * i, 90, 220)][band]

        (sub / f"p{i}.png").write_bytes(png_bytes(side, side - 4, pixel))


def read_safetensors(path: Path) -> dict:
    """Every tensor of a safetensors file: name → (dtype, shape, values as a list)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        kind = {"F32": "f", "I64": "q"}.get(entry["dtype"])
        assert kind, f"{path.name}: {name} has dtype {entry['dtype']}"
        values = array.array(kind)
        values.frombytes(body[start:end])
        tensors[name] = (entry["dtype"], entry["shape"], values.tolist())
    return tensors


def relative_difference(a: list, b: list) -> float:
    norm = sum(x * x for x in a) ** 0.5
    diff = sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5
    return diff / norm if norm > 0 else diff


def network_difference(a: dict, b: dict, prefix: str) -> float:
    """‖a − b‖ / ‖a‖ over all the tensors whose names start with `prefix`."""
    names = [name for name in a if name.startswith(prefix)]
    difference = sum(sum((x - y) ** 2 for x, y in zip(a[name][2], b[name][2])) for name in names)
    norm = sum(sum(x * x for x in a[name][2]) for name in names)
    return (difference / norm) ** 0.5


def network_tensors(path: Path) -> dict:
    """The networks' weights and batch-norm statistics of a checkpoint (not the optimizers')."""
    return {name: t for name, t in read_safetensors(path).items() if name.startswith(("G.", "D."))}


def train(out: Path, data: Path, ranks: int, *extra: str, wait: bool = True):
    command = [str(TINCT), "train", "--data", str(data), "--out", str(out), *OPTIONS, *extra]
    # Shared-memory copies between ranks through the kernel (CMA) are refused in some
    # containers; plain copies through the shared segment work everywhere.
    env = dict(os.environ, TINCT_WORKERS="1", OMPI_MCA_btl_vader_single_copy_mechanism="none")
    if ranks > 1:
        command = [MPIRUN, *MPI_FLAGS, "-np", str(ranks), *command]
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def checkpoint(run: Path, step: int) -> Path:
    return run / "checkpoints" / f"step-{step:08d}.safetensors"


def test_two_ranks_match_one_process(ctx):
    one = ctx.tmp / "one-rank"
    train(one, ctx.data, 1, "--steps", "10")
    ctx.two_output = train(ctx.two, ctx.data, 2, "--steps", "10")
    a, b = network_tensors(checkpoint(one, 10)), network_tensors(checkpoint(ctx.two, 10))
    assert a.keys() == b.keys() and len(a) > 20, f"different tensors: {sorted(a.keys() ^ b.keys())[:5]}"
    assert any(".running_mean" in name for name in a), "the networks have no batch norm: nothing synchronized was tested"
    initial = network_tensors(checkpoint(one, 5))
    moved = max(relative_difference(initial[name][2], a[name][2]) for name in a if name.endswith(".weight"))
    assert moved > 10 * TOLERANCE, f"the weights barely moved between steps 5 and 10 ({moved:.2e}): the comparison would prove nothing"
    worst = max((relative_difference(a[name][2], b[name][2]), name) for name in a)
    networks = {prefix: network_difference(a, b, prefix) for prefix in ("G.", "D.")}
    print(f"  after 10 steps: G differs by {networks['G.']:.2e}, D by {networks['D.']:.2e} relative "
          f"(tolerance {TOLERANCE:g}); worst single tensor {worst[1]} at {worst[0]:.2e}; "
          f"weights moved {moved:.2e} between steps 5 and 10")
    for prefix, difference in networks.items():
        assert difference <= TOLERANCE, f"2 ranks × batch 2 differ from 1 rank × batch 4: {prefix[0]} by {difference:.2e}"


def test_only_rank_zero_writes(ctx):
    events = [json.loads(line) for line in (ctx.two / "events.jsonl").read_text().splitlines() if line.strip()]
    kinds = [e["type"] for e in events]
    assert kinds.count("started") == 1 and kinds.count("finished") == 1, f"events of more than one rank: {kinds}"
    assert kinds.count("checkpoint") == 2, kinds
    assert sorted(p.name for p in (ctx.two / "samples").iterdir()) == ["step-00000010.png"]
    output = ctx.two_output.stdout + ctx.two_output.stderr
    assert output.count("finished at step 10") == 1, output
    summary = [line for line in output.splitlines() if line.startswith("data-parallel:")]
    assert len(summary) == 1 and "2 ranks × 2 pictures" in summary[0], output
    print("  " + summary[0])


def test_hostfile_recipe_over_loopback_tcp(ctx):
    """README's multi-host recipe with both "hosts" on loopback: the ranks talk over TCP
    (no shared memory) and end bit for bit where the shared-memory run ended."""
    hostfile = ctx.tmp / "hosts"
    hostfile.write_text("127.0.0.1 slots=2\n")
    run = ctx.tmp / "hostfile"
    command = [MPIRUN, "--allow-run-as-root", "--hostfile", str(hostfile), "-np", "2", "--bind-to", "none",
               "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
               "-x", "TINCT_WORKERS=1",
               str(TINCT), "train", "--data", str(ctx.data), "--out", str(run), *OPTIONS, "--steps", "10"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    a, b = network_tensors(checkpoint(run, 10)), network_tensors(checkpoint(ctx.two, 10))
    different = [name for name in a if a[name][2] != b[name][2]]
    assert not different, f"over TCP the run differs from the shared-memory one in {different[:5]}"


def rank_pid(mpirun_pid: int, rank: int):
    """The process of `rank` among mpirun's children (Open MPI sets OMPI_COMM_WORLD_RANK)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if ppid == mpirun_pid and f"OMPI_COMM_WORLD_RANK={rank}".encode() in environ:
            return int(entry.name)
    return None


def train_until(run: Path, data: Path, step: int, *extra: str) -> None:
    """Trains on two ranks until the checkpoint of `step` is written, then stops the job."""
    job = train(run, data, 2, *extra, wait=False)
    try:
        deadline = time.time() + 120
        while not checkpoint(run, step).exists():
            assert job.poll() is None, f"the run ended before the checkpoint of step {step}:\n{job.stdout.read()}"
            assert time.time() < deadline, f"no checkpoint of step {step} within 2 minutes"
            time.sleep(0.2)
    finally:
        job.terminate()
        job.communicate(timeout=60)


def test_killed_rank_stops_the_run_and_it_resumes(ctx):
    run = ctx.tmp / "killed"
    # A total of steps that is never reached: the learning-rate schedule, which depends on
    # it, is then the same for the killed, resumed and uninterrupted runs.
    long_run = ["--steps", "100000", "--checkpoint-every", "2", "--keep", "100"]
    job = train(run, ctx.data, 2, *long_run, wait=False)
    try:
        deadline = time.time() + 120
        while not checkpoint(run, 4).exists():
            assert job.poll() is None, f"the run ended before its second checkpoint:\n{job.stdout.read()}"
            assert time.time() < deadline, "no checkpoint of step 4 within 2 minutes"
            time.sleep(0.2)
        victim = rank_pid(job.pid, 1)
        assert victim, "rank 1's process was not found among mpirun's children"
        os.kill(victim, signal.SIGKILL)
        output, _ = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    assert job.returncode != 0, f"mpirun exited 0 after a rank was killed:\n{output}"
    steps = sorted(int(p.stem.split("-")[1]) for p in (run / "checkpoints").glob("step-*.safetensors"))
    assert steps and steps[-1] >= 4, steps
    last = steps[-1]
    assert network_tensors(checkpoint(run, last)), "the last checkpoint cannot be read"
    # Resumed on two ranks, two steps on it equals a run that was never interrupted.
    train_until(run, ctx.data, last + 2, "--resume")
    straight = ctx.tmp / "straight"
    train_until(straight, ctx.data, last + 2, *long_run)
    a, b = network_tensors(checkpoint(run, last + 2)), network_tensors(checkpoint(straight, last + 2))
    different = [name for name in a if a[name][2] != b[name][2]]
    assert not different, f"the resumed run differs from the uninterrupted one in {different[:5]}"
    print(f"  killed rank 1 after the checkpoint of step {last}; mpirun exited {job.returncode}; "
          f"resumed, step {last + 2} equals an uninterrupted run's bit for bit")


if __name__ == "__main__":
    if not Path(TINCT).exists():
        sys.exit(f"no tinct binary at {TINCT}: run `make build` (or set TINCT_BINARY)")
    if not Path(MPIRUN).exists():
        sys.exit("no mpirun: install Open MPI (Debian openmpi-bin), as `make test-mpi` does")
    with tempfile.TemporaryDirectory(prefix="tinct-mpi-") as folder:
        tmp = Path(folder)
        context = SimpleNamespace(tmp=tmp, data=tmp / "pictures", two=tmp / "two-ranks", two_output=None)
        write_pictures(context.data)
        sys.exit(run_tests([test_two_ranks_match_one_process, test_only_rank_zero_writes,
                            test_hostfile_recipe_over_loopback_tcp, test_killed_rank_stops_the_run_and_it_resumes], context))
