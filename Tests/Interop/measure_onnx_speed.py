"""Inference speed of the shipped generators: ONNX Runtime on the exported graph beside Tinct's
own engine, same input (1, C, S, S) at the model's resolution, 2 threads each (ONNX Runtime:
intra_op_num_threads=2; Tinct: TINCT_WORKERS=2). Median and minimum of --repeat runs after two
warm-ups, each side measured --rounds times alternately. A measurement, not a test: it prints
and asserts nothing.

    .venv/bin/python Tests/Interop/measure_onnx_speed.py [--repeat 30] [--rounds 3]
"""
import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime

ROOT = Path(__file__).resolve().parents[2]
TINCT = Path(os.environ.get("TINCT_BINARY", ROOT / ".build" / "release" / "tinct"))
MODELS = ["default-lineart", "default-photo"]


def onnx_runtime_ms(path, x, repeat):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: x}
    for _ in range(2):
        session.run(None, feed)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[0]


def tinct_ms(model, input_path, output_path, repeat):
    result = subprocess.run(
        [str(TINCT), "run-generator", str(model), "--input", str(input_path), "-o", str(output_path), "--repeat", str(repeat)],
        capture_output=True, text=True, check=True, env={**os.environ, "TINCT_WORKERS": "2"})
    timing = json.loads(result.stdout.strip().splitlines()[-1])
    return timing["median_ms"], timing["min_ms"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"onnxruntime {onnxruntime.__version__}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="tinct-onnx-speed-") as folder:
        work = Path(folder)
        for name in MODELS:
            model = ROOT / "models" / name
            onnx_path = work / f"{name}.onnx"
            subprocess.run([str(TINCT), "export-onnx", str(model), "-o", str(onnx_path)], check=True, capture_output=True)
            session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
            _, channels, side, _ = session.get_inputs()[0].shape
            x = np.random.default_rng(0).uniform(-1, 1, size=(1, channels, side, side)).astype(np.float32)
            (work / "x.f32").write_bytes(x.astype("<f4").tobytes())
            runtime, engine = [], []
            for _ in range(args.rounds):
                runtime.append(onnx_runtime_ms(onnx_path, x, args.repeat))
                engine.append(tinct_ms(model, work / "x.f32", work / "y.f32", args.repeat))
            best = lambda results: (min(r[0] for r in results), min(r[1] for r in results))  # noqa: E731
            (ort_median, ort_min), (tinct_median, tinct_min) = best(runtime), best(engine)
            print(f"{name}: input (1, {channels}, {side}, {side}), 2 threads — ONNX Runtime median {ort_median:.2f} ms "
                  f"(min {ort_min:.2f}), Tinct median {tinct_median:.2f} ms (min {tinct_min:.2f}); "
                  f"Tinct / ONNX Runtime = {tinct_median / ort_median:.2f}")


if __name__ == "__main__":
    main()
