"""A newcomer's first hour (#15), end to end in headless Chromium against the release `tinct`.

- A colour picture opened in line-art mode goes straight to a preview of its lines — never a
  colorization — where XDoG, adaptive or Sobel and a strength are picked; only "Use these
  lines" colorizes (item 1).
- The dashboard explains the validation split, gives the held-out count the trainer will use,
  and warns when it is too small to mean anything (item 3).
- Publishing a run under a name that exists asks in the page whether to replace it, with no
  API words, and replaces it only when asked (item 6).
- `?` (or the ? button) opens an overlay listing every shortcut, on screen at 1440×960 (item 7).
- The dashboard names the data root's absolute path and adds a dataset from a dropped set of
  pictures or a chosen .zip, with progress; bad files are listed, not fatal (item 2).

Each item is a test of its own on a fresh page against the one server (the empty data root
gets a server of its own); `run_tests` runs them all and reports each. Screenshots go to
test-artifacts/first-hour-*.png. Run with `.venv/bin/python Tests/Browser/test_first_hour.py`
(TINCT_BINARY picks another build).
"""

import base64
import io
import json
import shutil
import zipfile
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ARTIFACTS, TINCT, binary_missing, chromium, get_json, png_bytes, png_size, run_tests, serving, wait_settled,
    watch_page, write_tiny_model,
)
from editor_page import DRAWING_STATS, give_file  # noqa: E402

# Ink, colour and a digest of the result canvas.
RESULT_STATS = """async () => {
  const canvas = document.getElementById('result');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0, colorful = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (0.299 * r + 0.587 * g + 0.114 * b < 128) ink += 1;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 24) colorful += 1;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return { n: data.length / 4, ink, colorful, digest: [...digest].slice(0, 8).join(','), width: canvas.width, height: canvas.height };
}"""


def floppy(x, y):
    """A floppy-disk icon in flat colours: dark blue body, grey shutter with a slot, white label with ruled lines."""
    if not (20 <= x < 220 and 20 <= y < 220):
        return (255, 255, 255)
    if 70 <= x < 170 and 20 <= y < 85:  # shutter
        return (40, 40, 60) if 135 <= x < 155 and 30 <= y < 75 else (170, 175, 185)
    if 50 <= x < 190 and 120 <= y < 215:  # label
        return (90, 90, 110) if (y - 140) % 18 == 0 and 60 <= x < 180 else (245, 245, 240)
    return (30, 70, 160)


def fnv1a(name: str) -> int:
    h = 0xCBF29CE484222325
    for byte in name.encode():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def write_pictures(folder: Path, count: int, side: int = 8) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"pic-{i:03d}.png").write_bytes(png_bytes(side, side, lambda x, y, i=i: ((x * 30 + i) % 256, (y * 30) % 256, (i * 7) % 256)))


# Refusals the steps provoke on purpose (publishing a name twice: 409; a damaged picture in a
# dataset: 400/415) show as console errors; anything else is a problem.
REFUSED = ("status of 400", "status of 409", "status of 415")


def fresh_page(ctx):
    """A page in a browser context of its own (the previous test's is closed)."""
    if ctx.context is not None:
        ctx.context.close()
    ctx.context = ctx.browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    return watch_page(ctx.context.new_page(), ctx.problems, ignored=REFUSED)


def test_line_extraction(ctx) -> None:
    """Item 1: a colour picture → preview of its lines → extractor and strength → use → colorized."""
    page, url = fresh_page(ctx), ctx.url
    lineart_bodies = []
    page.on("request", lambda r: lineart_bodies.append(json.loads(r.post_data)) if r.url.endswith("/api/lineart") else None)
    page.goto(url + "/")
    page.wait_for_function("() => document.body.dataset.connected === 'true'")
    wait_settled(page)
    sent_before = page.evaluate("() => globalThis.tinctTestAPI.colorizer().sent")
    give_file(page, "drop", "floppy.png", png_bytes(240, 240, floppy))
    page.wait_for_function("() => document.getElementById('result').dataset.preview === 'lines'")
    assert page.locator("#extract-panel").is_visible(), "the extraction step is not shown"
    assert "in colour" in page.locator("#status").inner_text()
    preview = page.evaluate(RESULT_STATS)
    assert (preview["width"], preview["height"]) == (240, 240), preview
    assert preview["colorful"] == 0 and 0.01 * preview["n"] < preview["ink"] < 0.4 * preview["n"], f"not a preview of lines: {preview}"
    assert page.evaluate("() => globalThis.tinctTestAPI.colorizer().sent") == sent_before, "a colorization was asked for before the lines were chosen"
    assert page.evaluate(DRAWING_STATS)["colorful"] > 0.3 * 240 * 240, "the drawing pane should still show the picture"
    assert "not colorized yet" in page.locator("#result-info").inner_text()
    page.screenshot(path=str(ARTIFACTS / "first-hour-1-lines-preview.png"))

    # Colorize is refused while the lines are being chosen; so is drawing on the picture.
    page.click("#colorize")
    assert "Choose the lines first" in page.locator("#status").inner_text()

    # Each extractor and strength gives its own preview; the request says which.
    digests = {}
    for style in ["adaptive", "sobel", "xdog"]:
        page.click(f'#extract-panel button[data-style="{style}"]')
        page.wait_for_function(f"() => document.getElementById('result-info').textContent.includes('lines by {style}')")
        page.wait_for_function("() => !document.querySelector('#extract-panel .use').disabled")
        assert page.get_attribute(f'#extract-panel button[data-style="{style}"]', "aria-pressed") == "true"
        digests[style] = page.evaluate(RESULT_STATS)
        page.screenshot(path=str(ARTIFACTS / f"first-hour-1-lines-{style}.png"))
    assert len({d["digest"] for d in digests.values()}) == 3, f"the extractors gave the same lines: {digests}"
    page.fill("#line-strength", "2")
    page.dispatch_event("#line-strength", "input")
    page.wait_for_function("() => document.getElementById('result-info').textContent.includes('strength +2')")
    page.wait_for_function("() => !document.querySelector('#extract-panel .use').disabled")
    bold = page.evaluate(RESULT_STATS)
    assert bold["ink"] > 1.3 * digests["xdog"]["ink"], f"strength 2 should give bolder lines: {bold['ink']} vs {digests['xdog']['ink']}"
    assert {"style": "adaptive", "thickness": 0} in [{k: b[k] for k in ("style", "thickness")} for b in lineart_bodies]
    assert lineart_bodies[-1]["style"] == "xdog" and lineart_bodies[-1]["thickness"] == 2, lineart_bodies[-1]
    assert page.evaluate("() => globalThis.tinctTestAPI.colorizer().sent") == sent_before, "colorized while choosing lines"
    page.screenshot(path=str(ARTIFACTS / "first-hour-1-lines-bold.png"))

    # Use these lines: the drawing becomes them, and only now is it colorized.
    page.click("#extract-panel .use")
    assert not page.locator("#extract-panel").is_visible()
    wait_settled(page)
    drawing = page.evaluate(DRAWING_STATS)
    assert drawing["colorful"] == 0 and abs(drawing["ink"] - bold["ink"]) <= 0.02 * drawing["n"], (drawing, bold)
    assert page.evaluate("() => globalThis.tinctTestAPI.colorizer().sent") > sent_before
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "lineart"
    page.screenshot(path=str(ARTIFACTS / "first-hour-1-lines-used.png"))

    # Then as anyone goes on: a hint on the label, and the download at the picture's size.
    page.keyboard.press("h")
    box = page.locator("#overlay").bounding_box()
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.72 * box["height"])
    wait_settled(page)
    with page.expect_download() as info:
        page.click("#download")
    assert png_size(Path(info.value.path()).read_bytes()) == (240, 240)
    page.screenshot(path=str(ARTIFACTS / "first-hour-1-hinted.png"))
    page.keyboard.press("Control+z")  # the hint
    page.keyboard.press("Control+z")  # the lines
    assert page.evaluate(DRAWING_STATS)["colorful"] > 0.3 * 240 * 240, "undo did not bring the picture back"

    # X opens the step on the current picture; "Colorize as a photo" keeps it, in photo mode.
    page.keyboard.press("x")
    page.wait_for_function("() => document.getElementById('result').dataset.preview === 'lines'")
    page.click("#extract-panel .photo")
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "photo"
    assert not page.locator("#extract-panel").is_visible()
    assert page.evaluate(DRAWING_STATS)["colorful"] > 0.3 * 240 * 240
    page.click('[data-mode="lineart"]')


def test_shortcut_overlay(ctx) -> None:
    """Item 7: `?` lists every shortcut, on screen at 1440×960; it closes again; keys still work."""
    page, url = fresh_page(ctx), ctx.url
    page.set_viewport_size({"width": 1440, "height": 960})
    page.goto(url + "/")
    page.wait_for_function("() => document.body.dataset.connected === 'true'")
    dialog = page.locator("#shortcut-help")
    assert not dialog.is_visible()
    page.keyboard.press("?")
    assert dialog.is_visible(), "? did not open the shortcut list"
    box = dialog.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 960 and box["x"] >= 0 and box["x"] + box["width"] <= 1440, f"off screen: {box}"
    listed = page.locator("#shortcut-help tbody tr").all_inner_texts()
    shortcuts = page.evaluate("async () => { const m = await import('/js/shortcuts.js'); return m.SHORTCUTS.map((s) => s.label).concat(m.GESTURES.map((g) => g.label)); }")
    assert len(listed) == len(shortcuts) and len(shortcuts) >= 14, (listed, shortcuts)
    for label, row in zip(shortcuts, listed):
        assert label in row, (label, row)
    assert any("Ctrl+Z" in row for row in listed) and any("Ctrl+Enter" in row for row in listed)
    page.screenshot(path=str(ARTIFACTS / "first-hour-7-shortcuts.png"))
    page.keyboard.press("e")  # other keys do nothing while the list is open
    assert page.get_attribute('button[data-tool="eraser"]', "aria-pressed") == "false"
    page.keyboard.press("?")
    assert not dialog.is_visible(), "? did not close the list"
    page.click("#show-shortcuts")
    assert dialog.is_visible(), "the ? button did not open the list"
    page.keyboard.press("Escape")
    assert not dialog.is_visible(), "Escape did not close the list"
    page.keyboard.press("e")
    assert page.get_attribute('button[data-tool="eraser"]', "aria-pressed") == "true", "keys stopped working after the list"
    assert page.evaluate("() => globalThis.tinctTestAPI.tool()") == "eraser"
    page.click("#color-hex")
    page.keyboard.press("?")
    assert not dialog.is_visible(), "typing ? in the colour field opened the list"


def test_validation_split(ctx) -> None:
    """Item 3: the split explained, the held-out count the trainer uses, and a warning when few."""
    page, url, data = fresh_page(ctx), ctx.url, ctx.data
    page.goto(url + "/train")
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    assert "1 picture in 20 is held out" in page.locator("#split-explained").inner_text()
    names = sorted(p.name for p in (data / "few").iterdir())
    held_out = sum(1 for n in names if fnv1a(n) % 20 == 0)
    page.select_option("#dataset", "few")
    info = page.locator("#dataset-info").inner_text()
    assert f"{len(names)} pictures: {held_out} held out for validation" in info, (info, held_out)
    warning = page.locator("#dataset-warning")
    assert warning.is_visible(), "no warning for a dataset with too few validation pictures"
    assert ("Only" if held_out else "No validation") in warning.inner_text(), warning.inner_text()
    page.screenshot(path=str(ARTIFACTS / "first-hour-3-few-validation.png"))
    many = sorted(p.name for p in (data / "many").iterdir())
    page.select_option("#dataset", "many")
    held_out = sum(1 for n in many if fnv1a(n) % 20 == 0)
    assert held_out >= 8 and f"{held_out} held out" in page.locator("#dataset-info").inner_text()
    assert not warning.is_visible(), f"warned with {held_out} validation pictures"
    page.select_option("#dataset", "doodles")
    assert "6 training pictures (train/) and 2 validation pictures (val/)" in page.locator("#dataset-info").inner_text()
    assert "val/" in warning.inner_text()


def test_publish_twice(ctx) -> None:
    """Item 6: the second publish of a name asks in the page, then replaces only when told to."""
    page, url, models = fresh_page(ctx), ctx.url, ctx.work / "models"
    page.goto(url + "/train")
    page.wait_for_function("() => document.body.dataset.ready === 'true' && document.querySelector('#runs tr[data-run=tiny]')")
    row = page.locator("#runs tr[data-run=tiny]")
    row.locator("input[name=model]").fill("tiny-pub")
    row.locator("button[type=submit]").click()
    page.wait_for_function("() => document.getElementById('runs-message').textContent.startsWith('Published tiny-pub')")
    first = (models / "tiny-pub").stat().st_ino
    question = page.locator("#publish-question")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    row.locator("button[type=submit]").click()
    question.wait_for(state="visible")
    text = page.locator("body").inner_text()
    assert "A model called tiny-pub already exists" in question.inner_text(), question.inner_text()
    assert '"replace"' not in text and "send " not in text and "true" not in question.inner_text(), "API words in the page"
    page.screenshot(path=str(ARTIFACTS / "first-hour-6-replace-question.png"))
    question.get_by_role("button", name="Keep the existing one").click()
    assert not question.is_visible()
    assert "Kept the existing tiny-pub" in page.locator("#runs-message").inner_text()
    assert (models / "tiny-pub").stat().st_ino == first, "kept, yet the model was replaced"

    row.locator("button[type=submit]").click()
    question.wait_for(state="visible")
    question.get_by_role("button", name="Replace tiny-pub").click()
    page.wait_for_function("() => document.getElementById('runs-message').textContent.startsWith('Published tiny-pub')")
    assert (models / "tiny-pub").stat().st_ino != first, "the model was not replaced"
    assert not dialogs, f"a browser dialog was used: {dialogs}"
    assert any(m["name"] == "tiny-pub" for m in get_json(url + "/api/models"))


# Hands files to the dataset drop zone the way a browser does.
DROP_FILES = """(files) => {
  const transfer = new DataTransfer();
  for (const [name, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type: name.endsWith('.png') ? 'image/png' : 'application/octet-stream' }));
  }
  const zone = document.getElementById('dataset-drop');
  zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


def test_add_dataset(ctx) -> None:
    """Item 2: the data root by its absolute path; a .zip and a drop become datasets; bad files are listed."""
    page, url, data, work = fresh_page(ctx), ctx.url, ctx.data, ctx.work
    page.goto(url + "/train")
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    assert page.locator("#data-root").inner_text() == str(data.resolve()), page.locator("#data-root").inner_text()
    page.click("#add-dataset summary")
    picture = lambda i: png_bytes(24, 20, lambda x, y: ((x * 10 + i * 40) % 256, (y * 12) % 256, 90))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("my pics/train/a.png", picture(1))
        z.writestr("my pics/train/b.png", picture(2))
        z.writestr("my pics/val/c.png", picture(3), compress_type=zipfile.ZIP_STORED)
        z.writestr("my pics/train/broken.png", b"\x89PNG\r\n\x1a\nthis is not a picture")
        z.writestr("my pics/notes.txt", "hello")
        z.writestr("my pics/.DS_Store", "x")
        z.writestr("my pics/train/huge.png", b"\x89PNG\r\n\x1a\n" + bytes(16 << 20))  # past the limit, refused unsent
    zip_path = work / "my pics.zip"
    zip_path.write_bytes(archive.getvalue())
    page.set_input_files("#dataset-zip", str(zip_path))
    page.wait_for_function("() => /pictures? added to/.test(document.getElementById('upload-status').textContent) && !document.getElementById('upload-status').textContent.endsWith('…')")
    status = page.locator("#upload-status").inner_text()
    assert status.startswith("3 pictures added to my-pics") and "4 files left out" in status, status
    problems = page.locator("#upload-problems li").all_inner_texts()
    assert any(p.startswith("train/broken.png:") for p in problems), problems
    assert any(p.startswith("notes.txt: not a PNG or JPEG") for p in problems), problems
    assert any(p.startswith(".DS_Store: hidden") for p in problems), problems
    assert "train/huge.png: 16.8 MB, more than the 15 MB a picture may have" in problems, problems
    limits = page.locator("#upload-limits").inner_text()
    assert "each up to 15 MB and 16 megapixels, at most 50,000 in a dataset" in limits, limits
    assert not any("image:" in p for p in problems), problems
    for name in ["train/a.png", "train/b.png", "val/c.png"]:
        assert (data / "my-pics" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert not (data / "my-pics" / "train" / "broken.png").exists()
    assert page.locator("#dataset").input_value() == "my-pics"
    assert "2 training pictures (train/) and 1 validation picture (val/)" in page.locator("#dataset-info").inner_text()
    assert page.evaluate("() => document.getElementById('upload-progress').value") == 7
    page.screenshot(path=str(ARTIFACTS / "first-hour-2-zip-added.png"), full_page=True)

    # Pictures dropped as files: a dataset split by hash, named by the person.
    page.fill("#new-dataset-name", "dropped")
    page.evaluate(DROP_FILES, [[f"d{i}.png", base64.b64encode(picture(i)).decode()] for i in range(4)])
    page.wait_for_function("() => document.getElementById('upload-status').textContent.startsWith('4 pictures added to dropped.')")
    assert page.locator("#dataset").input_value() == "dropped"
    assert len(list((data / "dropped").iterdir())) == 4
    assert "4 pictures:" in page.locator("#dataset-info").inner_text()


def test_empty_data_root(ctx) -> None:
    """Item 2: with no dataset yet, the page says where to put one, by its absolute path."""
    work = ctx.work
    empty = work / "empty-data"
    arguments = ["--models", work / "models", "--data-root", empty, "--runs", work / "runs"]
    with serving(arguments, "first-hour-empty-server.log") as url:
        page = fresh_page(ctx)
        page.goto(f"{url}/train")
        page.wait_for_function("() => document.body.dataset.ready === 'true'")
        info = page.locator("#dataset-info").inner_text()
        assert f"No folder with pictures in {empty}" in info, info
        page.screenshot(path=str(ARTIFACTS / "first-hour-2-empty-data-root.png"))
        page.close()


TESTS = [
    test_shortcut_overlay,
    test_line_extraction,
    test_validation_split,
    test_publish_twice,
    test_add_dataset,
    test_empty_data_root,
]


def main() -> int:
    if binary_missing():
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-first-hour-"))
    try:
        write_tiny_model(work / "models" / "tiny-lineart")
        data = work / "data"
        write_pictures(data / "few", 20)
        write_pictures(data / "many", 220)
        for i in range(8):
            split = data / "doodles" / ("val" if i >= 6 else "train")
            split.mkdir(parents=True, exist_ok=True)
            (split / f"p{i}.png").write_bytes(
                png_bytes(40, 40, lambda x, y, i=i: (25, 25, 25) if x % 9 == i % 9 else ((60 * i) % 256, 200, 90)))
        train = subprocess.run(
            [str(TINCT), "train", "--data", str(data / "doodles"), "--out", str(work / "runs" / "tiny"), "--size", "32", "--downs", "5",
             "--ngf", "4", "--ndf", "4", "--batch", "2", "--steps", "2", "--checkpoint-every", "2", "--sample-every", "2"],
            cwd=work, capture_output=True, text=True, timeout=300)
        assert train.returncode == 0, train.stderr
        assert "warning: only 2 validation pictures" in train.stdout + train.stderr, "tinct train did not warn about 2 validation pictures"
        arguments = ["--models", work / "models", "--data-root", data, "--runs", work / "runs"]
        with serving(arguments, "first-hour-server.log") as url, chromium() as browser:
            ctx = SimpleNamespace(url=url, work=work, data=data, browser=browser, context=None, problems=[])
            status = run_tests(TESTS, ctx, ctx.problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        print(f"first-hour browser test passed; screenshots in {ARTIFACTS}")
    return status


if __name__ == "__main__":
    sys.exit(main())
