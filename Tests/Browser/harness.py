"""What the browser tests and the latency measurement share: paths, a tiny model, PNG
helpers, starting and stopping `tinct serve`, and the editor's pointer and settle helpers."""

import contextlib
import json
import os
import sys
import socket
import struct
import subprocess
import time
import traceback
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
    """Waits until the last edit has been colorized: nothing in flight or waiting, result shown
    (read from the editor's test API, Public/js/test-api.js)."""
    page.wait_for_function(
        "() => { const api = globalThis.tinctTestAPI; return api && api.colorizer().settled && api.result().shown; }",
        timeout=timeout,
    )
    page.wait_for_timeout(150)  # past the live debounce, in case an edit was still pending
    page.wait_for_function("() => globalThis.tinctTestAPI.colorizer().settled", timeout=timeout)


def binary_missing() -> bool:
    """Whether the tinct binary the tests serve with is missing (and says so)."""
    if TINCT.exists():
        return False
    print(f"{TINCT} is missing: run `swift build -c release --product tinct` first (or set TINCT_BINARY)", file=sys.stderr)
    return True


@contextlib.contextmanager
def serving(arguments, log_name: str, stop_timeout: float = 10, binary=TINCT):
    """Runs `binary serve` on a free local port with `arguments` (its log in test-artifacts/
    `log_name`) and yields its URL; stops it afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(ARTIFACTS / log_name, "w") as log:
        server = subprocess.Popen([str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), *map(str, arguments)],
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_server(url, server)
            yield url
        finally:
            stop_server(server, timeout=stop_timeout)


@contextlib.contextmanager
def chromium():
    """Yields a headless Chromium (Playwright's Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def watch_page(page, problems, ignored=()):
    """Appends the page's console errors (but those containing one of `ignored`) and
    uncaught exceptions to `problems`; returns the page."""
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not any(i in m.text for i in ignored) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return page


def stop_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """Asks `tinct serve` to stop and kills it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def run_tests(tests, context, problems=None) -> int:
    """Runs every test in `tests` (functions taking the shared `context`) in order, whatever
    the others do, and prints PASS or FAIL for each, with the failure. `problems`, a list the
    pages append console and page errors to, fails the test during which it grew. Returns 0
    when every test passed, 1 otherwise (the exit status the Makefile checks)."""
    failed = []
    for test in tests:
        name = test.__name__
        seen = len(problems) if problems is not None else 0
        try:
            test(context)
            new_problems = problems[seen:] if problems is not None else []
            if new_problems:
                raise AssertionError("the page reported errors:\n" + "\n".join(new_problems))
        except Exception:  # noqa: BLE001 — every failure is reported, and the next test runs
            failed.append(name)
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
        else:
            print(f"PASS {name}", flush=True)
    print(f"{len(tests) - len(failed)} of {len(tests)} tests passed" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0
