"""`tinct export-onnx` checked with ONNX's own checker and ONNX Runtime.

For each generator — the shipped line-art model (int8/float16 weights, batch norm on running
statistics), the shipped photo model (batch norm on each picture's statistics), a PyTorch
state_dict imported with `tinct import-torch` (Tests/Pix2PixTests/Fixtures/torch_generator,
written by PyTorch), and a model trained here for three steps with self-attention and
instance norm — the test exports the ONNX graph, runs `onnx.checker.check_model` on it
(full check, shape inference included), feeds the same random input to ONNX Runtime and to
`tinct run-generator` (Tinct's own generator), and requires the two outputs to agree within
1e-4 (largest absolute difference). A comparison of two constant outputs proves nothing, so
each output must also vary; and for the attention model (its γ set to 1), the graph with γ set
to 0 must differ from Tinct by far more than the tolerance (the attention path is seen).

Needs the release build (TINCT_BINARY to use another), numpy, onnx, onnxruntime and Pillow
(make test-interop installs them).
"""
import json
import os
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime

ROOT = Path(__file__).resolve().parents[2]
TINCT = Path(os.environ.get("TINCT_BINARY", ROOT / ".build" / "release" / "tinct"))
TORCH_GENERATOR = ROOT / "Tests/Pix2PixTests/Fixtures/torch_generator.safetensors"
TOLERANCE = 1e-4


def tinct(*arguments):
    """Runs tinct; its stdout. Fails the test with tinct's own message when it fails."""
    result = subprocess.run([str(TINCT), *map(str, arguments)], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"tinct {' '.join(map(str, arguments))} failed ({result.returncode}):\n"
                             f"{result.stdout}{result.stderr}")
    return result.stdout


def imported_model(work):
    """The PyTorch fixture (ngf 8, 6 downsamplings, batch norm, dropout) as a Tinct model."""
    folder = work / "imported"
    tinct("import-torch", TORCH_GENERATOR, "--ngf", 8, "--downs", 6, "--resolution", 64, "-o", folder)
    return folder


def attention_model(work):
    """A pix2pix model with self-attention and instance norm, trained three steps; then its
    attention's γ (near 0 after so few steps) is set to 1 in the model file, so that the
    attention path weighs in the output as much as the path around it."""
    from PIL import Image
    rng = np.random.default_rng(7)
    data = work / "pairs"
    for side in ("A", "B"):
        (data / side).mkdir(parents=True)
        for i in range(4):
            pixels = rng.integers(0, 256, size=(40, 40, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(data / side / f"{i}.png")
    run = work / "attention-run"
    tinct("train", "--data", data, "--out", run, "--mode", "pix2pix", "--size", 32, "--downs", 5, "--ngf", 8,
          "--ndf", 8, "--batch", 2, "--steps", 3, "--attention", "--norm", "instance", "--lr", 0.05,
          "--checkpoint-every", 3, "--sample-every", 3, "--json")
    folder = work / "attention"
    tinct("export", run, "-o", folder)
    set_float32_tensors(folder / "generator.safetensors", suffix=".gamma", value=1.0)
    return folder


def set_float32_tensors(path, suffix, value):
    """Overwrites every float32 tensor of a safetensors file whose name ends with `suffix`."""
    data = bytearray(path.read_bytes())
    header_size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + header_size])
    names = [name for name in header if name.endswith(suffix)]
    assert names, f"{path} has no tensor named *{suffix}"
    for name in names:
        assert header[name]["dtype"] == "F32", f"{name} is {header[name]['dtype']}, not F32"
        start, end = header[name]["data_offsets"]
        base = 8 + header_size
        data[base + start:base + end] = np.full((end - start) // 4, value, dtype="<f4").tobytes()
    path.write_bytes(bytes(data))


def onnx_session(path):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def tinct_output(model, x, work):
    """Tinct's generator on `x`, through `tinct run-generator`."""
    (work / "x.f32").write_bytes(x.astype("<f4").tobytes())
    tinct("run-generator", model, "--input", work / "x.f32", "-o", work / "y.f32")
    return np.frombuffer((work / "y.f32").read_bytes(), dtype="<f4")


def check(name, model, work):
    path = work / f"{name}.onnx"
    tinct("export-onnx", model, "-o", path)
    onnx.checker.check_model(str(path), full_check=True)
    graph = onnx.load(str(path))
    metadata = {entry.key: entry.value for entry in graph.metadata_props}
    side = int(metadata["tinct.resolution"])
    session = onnx_session(path)
    (graph_input,) = session.get_inputs()
    channels = graph_input.shape[1]
    x = np.random.default_rng(zlib.crc32(name.encode())).uniform(-1, 1, size=(1, channels, side, side)).astype(np.float32)
    (onnx_y,) = session.run(None, {graph_input.name: x})
    tinct_y = tinct_output(model, x, work)
    assert onnx_y.size == tinct_y.size, f"{name}: ONNX gives {onnx_y.shape}, Tinct {tinct_y.size} values"
    difference = float(np.max(np.abs(onnx_y.reshape(-1) - tinct_y)))
    spread = float(np.std(tinct_y))
    print(f"{name}: opset {graph.opset_import[0].version}, input {list(x.shape)} → output {list(onnx_y.shape)}, "
          f"{len(graph.graph.node)} nodes; max |ONNX Runtime − Tinct| = {difference:.2e} (output std {spread:.3f})")
    assert spread > 1e-3, f"{name}: Tinct's output is nearly constant (std {spread}); the comparison would prove nothing"
    assert difference <= TOLERANCE, f"{name}: ONNX Runtime and Tinct differ by {difference} > {TOLERANCE}"
    return graph, x, tinct_y


def check_attention_is_seen(graph, x, tinct_y, work):
    """The same graph with every attention γ set to 0 must move the output far beyond the tolerance."""
    gammas = [tensor for tensor in graph.graph.initializer if tensor.name.endswith(".gamma")]
    assert gammas, "the attention model's graph has no attention γ"
    values = [float(onnx.numpy_helper.to_array(tensor).reshape(-1)[0]) for tensor in gammas]
    for tensor in gammas:
        tensor.raw_data = np.zeros(onnx.numpy_helper.to_array(tensor).shape, dtype="<f4").tobytes()
    path = work / "attention-without.onnx"
    onnx.save(graph, str(path))
    session = onnx_session(path)
    (without,) = session.run(None, {session.get_inputs()[0].name: x})
    moved = float(np.max(np.abs(without.reshape(-1) - tinct_y)))
    print(f"attention: γ = {values}; with γ = 0 the output moves by {moved:.2e}")
    assert moved > 10 * TOLERANCE, f"zeroing the attention moved the output by only {moved}: the check cannot see it"


def check_refusals(work):
    """Bad input is a clear error (status 1, `Error: …`), never a crash or a half-written file."""
    (work / "short.f32").write_bytes(b"\0" * 10)
    refusals = [
        (["run-generator", ROOT / "models/default-photo", "--input", work / "short.f32", "-o", work / "never.f32"],
         "holds 10 bytes"),
        (["export-onnx", work / "no-such-model", "-o", work / "never.onnx"], "no-such-model"),
    ]
    for arguments, expected in refusals:
        result = subprocess.run([str(TINCT), *map(str, arguments)], capture_output=True, text=True)
        assert result.returncode == 1 and "Error:" in result.stderr and expected in result.stderr, (
            f"tinct {arguments[0]}: expected status 1 and an error naming {expected!r}, got {result.returncode}: {result.stderr}")
    assert not (work / "never.f32").exists() and not (work / "never.onnx").exists(), "a refused command wrote its output"
    print("refusals: a short input file and a missing model are clear errors")


def main():
    if not TINCT.exists():
        raise SystemExit(f"{TINCT} is missing: build it first (make build), or set TINCT_BINARY")
    if not TORCH_GENERATOR.exists():
        raise SystemExit(f"{TORCH_GENERATOR} is missing")
    with tempfile.TemporaryDirectory(prefix="tinct-onnx-") as folder:
        work = Path(folder)
        check("default-lineart", ROOT / "models/default-lineart", work)
        check("default-photo", ROOT / "models/default-photo", work)
        check("imported-torch", imported_model(work), work)
        graph, x, tinct_y = check("attention-instance-norm", attention_model(work), work)
        check_attention_is_seen(graph, x, tinct_y, work)
        check_refusals(work)
    print("test_onnx: ok")


if __name__ == "__main__":
    main()
