"""What the browser tests and the latency measurement share: paths, a tiny model, PNG
helpers, starting and stopping `tinct serve`, and the editor's pointer and settle helpers."""

import json
import os
import socket
import struct
import subprocess
import time
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# The release build `make test-browser` makes; TINCT_BINARY points elsewhere (another scratch path).
TINCT = Path(os.environ.get("TINCT_BINARY", ROOT / ".build" / "release" / "tinct"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")
FIXTURE = ROOT / "Tests" / "Pix2PixTests" / "Fixtures" / "unet_in5_out3.safetensors"


def write_tiny_model(folder: Path, resolution: int = 256, input_planes: int = 9) -> None:
    """A Tinct line-art model (ngf 4, 5 downsamplings, untrained PyTorch init) from the
    U-Net fixture: its `G.` tensors renamed as a plain state_dict, plus Tinct's metadata.
    With `input_planes` 9 (the default, as the shipped model) the first convolution is
    widened from the fixture's 5 planes to 9 with zero weights for the dense hint fill and
    where it is known — so the server runs the current line-art path: regions, hint
    spreading, and the hint's exact colour wherever it reaches; 5 gives a model from before
    the fill."""
    data = FIXTURE.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors, chunks, offset = {}, [], 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0] if kv[0] != "__metadata__" else -1):
        if name == "__metadata__" or not name.startswith("G."):
            continue
        start, end = entry["data_offsets"]
        chunk, shape = body[start:end], list(entry["shape"])
        if len(shape) == 4 and shape[1] == 5 and input_planes > 5:  # the first convolution: (OC, 5, KH, KW) → (OC, 9, KH, KW)
            per_plane = shape[2] * shape[3] * 4
            chunk = b"".join(chunk[o * 5 * per_plane:(o + 1) * 5 * per_plane] + bytes((input_planes - 5) * per_plane)
                             for o in range(shape[0]))
            shape[1] = input_planes
        tensors[name[2:]] = {"dtype": entry["dtype"], "shape": shape, "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    config = {"inputChannels": input_planes, "outputChannels": 3, "ngf": 4, "downsamplings": 5, "norm": "batch",
              "dropout": False, "attentionDepths": []}
    tensors["__metadata__"] = {"tinct.format": "1", "tinct.kind": "generator", "tinct.mode": "lineart",
                               "tinct.generator": json.dumps(config), "tinct.resolution": str(resolution)}
    encoded = json.dumps(tensors).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "generator.safetensors").write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def png_bytes(width: int, height: int, pixel) -> bytes:
    """An RGB PNG whose pixel (x, y) is `pixel(x, y)` → (r, g, b)."""
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    """GETs `url` and decodes its JSON answer."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def wait_for_server(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tinct serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("tinct serve did not come up")


def drag(page, box, points, steps=6):
    """Presses the mouse at the first point (fractions of `box`) and moves through the rest."""
    to_xy = lambda p: (box["x"] + p[0] * box["width"], box["y"] + p[1] * box["height"])
    page.mouse.move(*to_xy(points[0]))
    page.mouse.down()
    for p in points[1:]:
        page.mouse.move(*to_xy(p), steps=steps)
    page.mouse.up()


def wait_settled(page, timeout=20_000):
    """Waits until the last edit has been colorized: nothing in flight or waiting, result shown."""
    page.wait_for_function(
        "() => { const c = globalThis.tinct?.client; return c && c.connected && !c.inFlight && !c.wanted"
        " && c.lastShownID === c.nextID - 1 && document.getElementById('result').dataset.ready === 'true'; }",
        timeout=timeout,
    )
    page.wait_for_timeout(150)  # past the live debounce, in case an edit was still pending
    page.wait_for_function(
        "() => { const c = globalThis.tinct.client; return !c.inFlight && !c.wanted && c.lastShownID === c.nextID - 1; }",
        timeout=timeout,
    )


def stop_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """Asks `tinct serve` to stop and kills it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
