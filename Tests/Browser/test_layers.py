"""Layered (.ora, .psd) and transparent exports, read by real readers (issue #16).

With the shipped models (models/default-lineart, models/default-photo):
1. the CLI: `tinct colorize --layers out.ora` and `--transparent` on a line drawing, and
   `--layers` on a black-and-white photo;
2. the editor, in headless Chromium: the Layers (.ora) and Transparent PNG buttons beside
   Download PNG;
3. the API: a transparent picture asked of a photo is refused with a sentence naming `format`;
4. where Krita is installed, Krita's own flattening of the CLI's .ora (skipped otherwise);
5. the same layers as a Photoshop file, from the CLI (`--layers out.psd`) and the API
   (`"format": "psd"`), opened with psd-tools (PyPI): its layer list (names bottom first,
   blend modes, visibility, sizes), the merged picture Tinct stores (equal to the PNG) and
   psd-tools' own compositing of the visible layers (within 2 levels of the PNG).
Each .ora is checked as a zip (mimetype first, stored, at byte 38 as the spec asks), then
opened with pyora (PyPI): its layers listed, composited by pyora's own renderer, and compared
with Tinct's PNG of the same request — at most 2 levels apart per channel (each layer is
8-bit; see Sources/Pix2Pix/Export/LineArtLayers.swift). The transparent PNG's unreached paper
has alpha 0, its lines and colours 255, and over white it is the PNG. Each part is a test of
its own (the API and editor tests also need the pictures the CLI test writes), against one
server; `run_tests` runs them all and reports each. Run with `make test-browser` (or
`.venv/bin/python Tests/Browser/test_layers.py`).
"""

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import BlendMode
from pyora import Project

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, ROOT, TINCT, binary_missing, chromium, png_bytes, run_tests, serving, wait_settled, watch_page  # noqa: E402
from editor_page import give_file  # noqa: E402

MODELS = ROOT / "models"
WIDTH, HEIGHT = 240, 180
# Flattened layers against Tinct's PNG, per channel: the 8-bit roundings of the layers.
TOLERANCE = 2
LINEART_LAYERS = ["Paper", "Flats", "Shading", "Light", "Lines", "Hints"]
CIRCLE = (70, 90, 45)  # centre x, y and radius of a closed ring
BOX = (140, 40, 215, 140)  # a closed rectangle: left, top, right, bottom
HINTS = [{"x": 70, "y": 90, "color": "#d03020", "r": 3}, {"x": 178, "y": 90, "color": "#2050c0", "r": 3}]


def drawing_pixel(x, y):
    """Black lines on white: an anti-aliased ring and a rectangle (both hinted), a small square
    no hint reaches (the network's own colours and shading), and an open stroke."""
    cx, cy, r = CIRCLE
    ring = min(1.0, max(0.0, abs(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 - r) - 1.0))
    left, top, right, bottom = BOX
    rect = (left <= x <= right and top <= y <= bottom) and (x - left < 3 or right - x < 3 or y - top < 3 or bottom - y < 3)
    square = (150 <= x <= 200 and 4 <= y <= 30) and (x - 150 < 2 or 200 - x < 2 or y - 4 < 2 or 30 - y < 2)
    stroke = 20 <= x <= 220 and abs(y - (165 - (x - 20) // 20)) < 2
    if rect or square or stroke:
        return (0, 0, 0)
    return (round(255 * ring),) * 3


def photo_pixel(x, y):
    """A black-and-white 'photo': soft shading and two shapes."""
    value = 60 + (x * 120) // WIDTH + (y * 40) // HEIGHT
    if (x - 60) ** 2 + (y - 60) ** 2 < 900:
        value = 210
    if 140 < x < 200 and 100 < y < 150:
        value = 40
    return (value,) * 3


def rgb(path_or_bytes) -> np.ndarray:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def rgba(path_or_bytes) -> np.ndarray:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)


def check_zip(path: Path, names: list, hidden: set) -> None:
    """The container as the OpenRaster spec asks, and stack.xml as Tinct writes it."""
    data = path.read_bytes()
    assert data[30:38] == b"mimetype" and data[38:54] == b"image/openraster", "mimetype must be the first entry, stored, at byte 38"
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED, first
        assert archive.testzip() is None, "a damaged entry (CRC)"
        entries = set(archive.namelist())
        assert {"stack.xml", "mergedimage.png", "Thumbnails/thumbnail.png"} <= entries, entries
        root = ElementTree.fromstring(archive.read("stack.xml"))
        assert (int(root.get("w")), int(root.get("h"))) == (WIDTH, HEIGHT), root.attrib
        layers = root.find("stack").findall("layer")
        # stack.xml lists the top layer first.
        assert [layer.get("name") for layer in layers] == list(reversed(names)), [layer.get("name") for layer in layers]
        for layer in layers:
            assert (layer.get("visibility") == "hidden") == (layer.get("name") in hidden), layer.attrib
            size = Image.open(io.BytesIO(archive.read(layer.get("src")))).size
            assert size == (WIDTH, HEIGHT), (layer.get("name"), size)
        thumbnail = Image.open(io.BytesIO(archive.read("Thumbnails/thumbnail.png"))).size
        assert max(thumbnail) <= 256, thumbnail


def flatten_with_pyora(path: Path, expected_names: list) -> np.ndarray:
    """pyora's own composite of the file, as RGB over its (opaque) paper."""
    project = Project.load(str(path))
    names = [layer.name for layer in project.iter_layers]
    # pyora lists them from the top.
    assert sorted(names) == sorted(expected_names), names
    modes = {layer.name: layer.composite_op for layer in project.iter_layers}
    hidden = {layer.name for layer in project.iter_layers if not layer.visible}
    print(f"  pyora reads {path.name}: " + ", ".join(f"{n} ({modes[n]}{', hidden' if n in hidden else ''})" for n in names))
    flat = np.asarray(project.get_image_data(use_original=False).convert("RGBA")).astype(int)
    assert (flat[..., 3] == 255).all(), "the flattened picture should be opaque (the paper layer)"
    return flat[..., :3]


def compare(name: str, flattened: np.ndarray, png: np.ndarray) -> int:
    difference = np.abs(flattened - png)
    print(f"  {name}: flattened vs Tinct's PNG: max {difference.max()} levels, mean {difference.mean():.3f},"
          f" {np.count_nonzero(difference.max(axis=2))} of {difference.shape[0] * difference.shape[1]} pixels differ")
    assert difference.max() <= TOLERANCE, f"{name}: flattened layers differ from the PNG by {difference.max()} levels"
    return int(difference.max())


def check_psd(name: str, data: bytes, names: list, hidden: set, png: np.ndarray) -> None:
    """psd-tools' reading of a .psd: the layers bottom first with their blend modes and
    visibility, the stored merged picture, and its own compositing of the visible layers."""
    psd = PSDImage.open(io.BytesIO(data))
    assert (psd.width, psd.height) == (WIDTH, HEIGHT), (psd.width, psd.height)
    layers = list(psd)
    listed = [(layer.name, layer.blend_mode.name.lower(), layer.visible) for layer in layers]
    print(f"  psd-tools reads {name}: " + ", ".join(f"{n} ({mode}{'' if shown else ', hidden'})" for n, mode, shown in listed))
    assert [layer.name for layer in layers] == names, listed
    blend_modes = {"Shading": BlendMode.MULTIPLY, "Light": BlendMode.SCREEN}
    for layer in layers:
        assert layer.blend_mode == blend_modes.get(layer.name, BlendMode.NORMAL), (layer.name, layer.blend_mode)
        assert layer.visible == (layer.name not in hidden), (layer.name, layer.visible)
        assert layer.size == (WIDTH, HEIGHT), (layer.name, layer.size)
    merged = np.asarray(psd.topil().convert("RGB")).astype(int)
    assert (merged == png).all(), f"{name}: the stored merged picture differs from the PNG by {np.abs(merged - png).max()}"
    compare(f"{name} composited by psd-tools", np.asarray(psd.composite(ignore_preview=True).convert("RGB")).astype(int), png)


def check_transparent(name: str, transparent: np.ndarray, png: np.ndarray) -> None:
    alpha = transparent[..., 3]
    assert alpha[2, 2] == 0 and alpha[HEIGHT - 30, WIDTH // 2] == 0, "unreached paper should be clear"
    cx, cy, r = CIRCLE
    assert alpha[cy, cx + r] == 255, f"a line should be opaque, alpha {alpha[cy, cx + r]}"
    assert alpha[cy, cx] == 255 and alpha[90, 178] == 255, "colours inside closed shapes should be opaque"
    over_white = (transparent[..., :3] * alpha[..., None] + 255 * (255 - alpha[..., None]) + 127) // 255
    difference = np.abs(over_white - png)
    clear = np.count_nonzero(alpha == 0)
    print(f"  {name}: {clear} of {alpha.size} pixels clear; over white vs the PNG: max {difference.max()} levels")
    assert difference.max() <= TOLERANCE, f"{name}: over white it differs from the PNG by {difference.max()}"


def check_flats(flats: np.ndarray) -> None:
    """One colour per region: the inside of the ring is one flat colour, the hint's."""
    cx, cy, r = CIRCLE
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    inside = (xs - cx) ** 2 + (ys - cy) ** 2 < (r - 4) ** 2
    colours = {tuple(c) for c in flats[inside][:, :3]}
    assert len(colours) == 1, f"the ring's inside has {len(colours)} flat colours"
    assert abs(np.array(next(iter(colours))) - [0xD0, 0x30, 0x20]).max() <= 2, colours


def write_inputs(work: Path) -> None:
    """The line drawing, the black-and-white photo and their hints every test starts from."""
    (work / "drawing.png").write_bytes(png_bytes(WIDTH, HEIGHT, drawing_pixel))
    (work / "photo.png").write_bytes(png_bytes(WIDTH, HEIGHT, photo_pixel))
    (work / "hints.json").write_text(json.dumps(HINTS))


def test_cli(ctx) -> None:
    work = ctx.work
    drawing, photo, hints = work / "drawing.png", work / "photo.png", work / "hints.json"

    def colorize(*args):
        run = subprocess.run([str(TINCT), "colorize", *map(str, args), "--models", str(MODELS), "--hints", str(hints)],
                             cwd=work, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout

    print(colorize(drawing, "-o", work / "lineart.png", "--layers", work / "lineart.ora").strip())
    check_zip(work / "lineart.ora", LINEART_LAYERS, {"Hints"})
    compare("CLI line art", flatten_with_pyora(work / "lineart.ora", LINEART_LAYERS), rgb(work / "lineart.png"))
    project = Project.load(str(work / "lineart.ora"))
    check_flats(np.asarray(project["/Flats"].get_image_data(raw=True).convert("RGBA")).astype(int))
    lines = np.asarray(project["/Lines"].get_image_data(raw=True).convert("RGBA")).astype(int)
    assert lines[2, 2, 3] == 0 and lines[CIRCLE[1], CIRCLE[0] + CIRCLE[2], 3] >= 230, "the lines layer: clear paper, opaque ink"
    hints_layer = np.asarray(project["/Hints"].get_image_data(raw=True).convert("RGBA")).astype(int)
    assert tuple(hints_layer[90, 70]) == (0xD0, 0x30, 0x20, 255) and hints_layer[2, 2, 3] == 0, "the hints layer"
    shutil.copy(work / "lineart.ora", ARTIFACTS / "layers-cli.ora")

    colorize(drawing, "-o", work / "transparent.png", "--transparent")
    check_transparent("CLI transparent", rgba(work / "transparent.png"), rgb(work / "lineart.png"))
    shutil.copy(work / "transparent.png", ARTIFACTS / "layers-cli-transparent.png")

    print(colorize(photo, "-o", work / "photo-out.png", "--layers", work / "photo.ora", "--mode", "photo").strip())
    check_zip(work / "photo.ora", ["Photo", "Colours", "Hints"], {"Photo", "Hints"})
    compare("CLI photo", flatten_with_pyora(work / "photo.ora", ["Photo", "Colours", "Hints"]), rgb(work / "photo-out.png"))

    refused = subprocess.run([str(TINCT), "colorize", str(photo), "-o", str(work / "x.png"), "--mode", "photo", "--transparent",
                              "--models", str(MODELS)], cwd=work, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "--transparent" in refused.stderr, refused.stderr
    print("CLI: --layers and --transparent read back by pyora: ok")


def test_krita(ctx) -> None:
    """Krita itself, when installed (Debian's `krita` and `xvfb-run`; not installed by the
    Makefile, it is large): opens the CLI test's .ora and exports it flattened, which must be the PNG."""
    work = ctx.work
    if not (shutil.which("krita") and shutil.which("xvfb-run")):
        print("  Krita: not installed here (apt-get install krita xvfb), skipped")
        return
    exported = work / "krita.png"
    run = subprocess.run(["xvfb-run", "-a", "krita", str(work / "lineart.ora"), "--export", "--export-filename", str(exported)],
                         cwd=work, capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(work / "krita-home")})
    assert run.returncode == 0 and exported.exists(), run.stdout[-2000:] + run.stderr[-2000:]
    compare("Krita's export of the CLI's .ora", rgb(exported), rgb(work / "lineart.png"))


def test_api(ctx) -> None:
    url, work = ctx.url, ctx.work
    body = json.dumps({"image": base64.b64encode((work / "photo.png").read_bytes()).decode(), "mode": "photo",
                       "format": "png-transparent"}).encode()
    request = urllib.request.Request(f"{url}/api/colorize", data=body, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=60)
        raise AssertionError("a transparent photo should be refused")
    except urllib.error.HTTPError as error:
        message = json.loads(error.read())["error"]
        assert error.code == 400 and message.startswith("format:"), (error.code, message)
    print("API: a transparent photo is refused naming format: ok")


def test_editor_downloads(ctx) -> None:
    url, work = ctx.url, ctx.work
    context = ctx.browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    page = watch_page(context.new_page(), ctx.problems)
    page.goto(url + "/")
    page.wait_for_function("() => document.body.dataset.connected === 'true'")
    wait_settled(page)
    give_file(page, "drop", "drawing.png", (work / "drawing.png").read_bytes())
    wait_settled(page)
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "lineart"
    page.keyboard.press("h")
    box = page.locator("#overlay").bounding_box()
    for hint in HINTS:
        page.evaluate(f"() => {{ const c = document.getElementById('color-hex'); c.value = '{hint['color']}';"
                      " c.dispatchEvent(new Event('change', { bubbles: true })); c.dispatchEvent(new Event('input', { bubbles: true })); }")
        page.mouse.click(box["x"] + (hint["x"] + 0.5) * box["width"] / WIDTH, box["y"] + (hint["y"] + 0.5) * box["height"] / HEIGHT)
        wait_settled(page)
    assert len(page.evaluate("() => globalThis.tinctTestAPI.hints()")) == 2
    downloads = {}
    # Download PNG by its button; the layers and the transparent picture by their shortcuts
    # (Shift+D, Shift+T), which do what the buttons beside it do.
    for button, key in [("download", None), ("download-layers", "Shift+D"), ("download-transparent", "Shift+T")]:
        assert not page.locator(f"#{button}").is_disabled(), f"#{button} is disabled with a result shown"
        with page.expect_download() as info:
            if key:
                page.keyboard.press(key)
            else:
                page.click(f"#{button}")
        downloads[button] = Path(info.value.path())
        print(f"  #{button} → {info.value.suggested_filename}")
        assert info.value.suggested_filename.endswith({"download": ".png", "download-layers": ".ora",
                                                       "download-transparent": "-transparent.png"}[button])
    page.screenshot(path=str(ARTIFACTS / "layers-editor.png"))
    png = rgb(downloads["download"])
    ora = work / "editor.ora"
    shutil.copy(downloads["download-layers"], ora)
    shutil.copy(ora, ARTIFACTS / "layers-editor.ora")
    check_zip(ora, LINEART_LAYERS, {"Hints"})
    compare("editor line art", flatten_with_pyora(ora, LINEART_LAYERS), png)
    check_transparent("editor transparent", rgba(downloads["download-transparent"]), png)
    # The shortcut list names both, and still fits a 1440×960 screen.
    page.set_viewport_size({"width": 1440, "height": 960})
    page.keyboard.press("?")
    dialog = page.locator("#shortcut-help")
    box = dialog.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 960, f"the shortcut list is off screen: {box}"
    listed = "\n".join(page.locator("#shortcut-help tbody tr").all_inner_texts())
    assert "Shift+D" in listed and "Shift+T" in listed and "(.ora)" in listed, listed
    page.keyboard.press("?")
    # Photo mode has no paper to clear.
    page.click('button[data-mode="photo"]')
    assert page.locator("#download-transparent").is_disabled(), "Transparent PNG should be off in photo mode"
    print("editor: Layers (.ora) and Transparent PNG downloads read back by pyora: ok")
    context.close()


def test_psd_cli(ctx) -> None:
    """`tinct colorize --layers out.psd` (picked by the extension); another extension refused."""
    work = ctx.work
    arguments = ["--models", MODELS, "--hints", work / "hints.json"]
    run = subprocess.run([str(TINCT), "colorize", str(work / "drawing.png"), "-o", str(work / "psd.png"), "--layers",
                          str(work / "lineart.psd"), *map(str, arguments)], cwd=work, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    check_psd("CLI line art .psd", (work / "lineart.psd").read_bytes(), LINEART_LAYERS, {"Hints"}, rgb(work / "psd.png"))
    shutil.copy(work / "lineart.psd", ARTIFACTS / "layers-cli.psd")
    refused = subprocess.run([str(TINCT), "colorize", str(work / "drawing.png"), "-o", str(work / "x.png"), "--layers",
                              str(work / "x.tiff"), *map(str, arguments)], cwd=work, capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and ".psd" in refused.stderr, refused.stderr


def test_psd_api(ctx) -> None:
    """`"format": "psd"` for line art and a photo: the PNG of the same request, as layers."""
    def post(source: str, mode: str, format: str) -> tuple:
        body = json.dumps({"image": base64.b64encode((ctx.work / source).read_bytes()).decode(), "mode": mode,
                           "hints": HINTS, "format": format}).encode()
        request = urllib.request.Request(f"{ctx.url}/api/colorize", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.headers["Content-Type"], response.read()
    for source, mode, names, hidden in [("drawing.png", "lineart", LINEART_LAYERS, {"Hints"}),
                                        ("photo.png", "photo", ["Photo", "Colours", "Hints"], {"Photo", "Hints"})]:
        kind, data = post(source, mode, "psd")
        assert kind == "image/vnd.adobe.photoshop", kind
        check_psd(f"API {mode} .psd", data, names, hidden, rgb(post(source, mode, "png")[1]))


TESTS = [test_cli, test_krita, test_api, test_psd_cli, test_psd_api, test_editor_downloads]


def main() -> int:
    if binary_missing():
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-layers-"))
    try:
        write_inputs(work)
        with serving(["--models", MODELS], "layers-server.log") as url, chromium() as browser:
            ctx = SimpleNamespace(url=url, work=work, browser=browser, problems=[])
            status = run_tests(TESTS, ctx, ctx.problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        print(f"layers test passed; files and screenshots in {ARTIFACTS}")
    return status


if __name__ == "__main__":
    sys.exit(main())
