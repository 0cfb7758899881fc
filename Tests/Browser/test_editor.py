"""End-to-end test of the editor in headless Chromium.

Starts the release `tinct serve` on 127.0.0.1 with a tiny untrained line-art model, then
draws, hints, waits for live colorization, downloads the result and checks its size; picks a
color from the result, saves and removes a palette color, moves and deletes hints; saves a
project, reloads the page, loads it and checks the result is identical pixel for pixel; drops
a color picture and extracts its lines, pastes a black-and-white photo (photo mode), clears;
checks the layout at 1280×800, 1920×1080 and 800 px wide; and measures the /ws/colorize round
trip for a 256×256 drawing (printed, never asserted; Tests/Browser/measure_latency.py does it
with the real default model). Screenshots go to test-artifacts/. Run with `make test-browser`
(or `.venv/bin/python Tests/Browser/test_editor.py`).

Each step is a test of its own, on a fresh page (and browser context, so saved colours do not
carry over) against the one server; `run_tests` runs them all and reports each.
"""

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, binary_missing, chromium, drag, png_bytes, png_size, run_tests, serving, wait_settled, write_tiny_model  # noqa: E402
from editor_page import (  # noqa: E402
    DRAWING_STATS, RESULT_DIGEST, add_hints, check_layout, draw_doodle, drawn_editor, give_file, hint_screen_point, open_editor,
)


def test_draw_erase_hint_undo_redo(ctx):
    page = open_editor(ctx)
    assert page.locator("#model").input_value() == "tiny-lineart", "model selector"
    page.screenshot(path=str(ARTIFACTS / "01-empty.png"))
    draw_doodle(page)
    hints = add_hints(page)
    # Undo removes the hint stroke, redo brings it back.
    page.keyboard.press("Control+z")
    after_undo = page.evaluate("() => globalThis.tinctTestAPI.hints().length")
    assert after_undo == 1, f"after undo: {after_undo} hints (before: {hints})"
    page.keyboard.press("Control+y")
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == hints
    assert page.evaluate("() => globalThis.tinctTestAPI.tool()") == "hint"


def test_point_hint_lands_exactly(ctx):
    page = drawn_editor(ctx)
    page.screenshot(path=str(ARTIFACTS / "02-colorized.png"))
    # The point hint's colour lands exactly where it was put, even from an untrained network.
    hint, landed = page.evaluate("""() => {
        const h = globalThis.tinctTestAPI.hints()[0];
        const [r, g, b] = document.getElementById('result').getContext('2d').getImageData(h.x, h.y, 1, 1).data;
        return [h.color, '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')];
    }""")
    assert hint.lower() == landed, f"the point hint {hint} came out {landed}"


def test_download_is_the_drawing_size(ctx):
    page = drawn_editor(ctx)
    drawing_size = page.evaluate("() => [document.getElementById('drawing').width, document.getElementById('drawing').height]")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    target = ARTIFACTS / "result.png"
    download.save_as(str(target))
    size = png_size(target.read_bytes())
    assert list(size) == drawing_size, f"download is {size}, drawing is {drawing_size}"
    result = page.evaluate("() => globalThis.tinctTestAPI.result()")
    assert result["shown"] and [result["width"], result["height"]] == drawing_size, result
    print(f"downloaded {download.suggested_filename}: {size[0]}x{size[1]} (drawing {drawing_size[0]}x{drawing_size[1]})")


def test_photo_mode_without_a_model(ctx):
    # Photo mode has no model here: the selector says so, and switching back works.
    page = open_editor(ctx)
    wait_settled(page)
    page.click('[data-mode="photo"]')
    assert "no photo model" in page.locator("#model").inner_text()
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "photo"
    page.click('[data-mode="lineart"]')
    assert page.locator("#model").input_value() == "tiny-lineart"
    wait_settled(page)


def test_eyedropper_and_saved_colors(ctx):
    page = drawn_editor(ctx)
    # Eyedropper: a click on the result picks its color there.
    result_box = page.locator("#result").bounding_box()
    click_at = [round(result_box["x"] + 0.3 * result_box["width"]), round(result_box["y"] + 0.6 * result_box["height"])]
    page.mouse.click(*click_at)
    picked = page.evaluate("""([x, y]) => {
        const c = document.getElementById('result');
        const rect = c.getBoundingClientRect();
        const px = Math.floor(((x - rect.left) * c.width) / rect.width);
        const py = Math.floor(((y - rect.top) * c.height) / rect.height);
        const [r, g, b] = c.getContext('2d').getImageData(px, py, 1, 1).data;
        return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
    }""", click_at)
    assert page.locator("#color-hex").input_value() == picked, (page.locator("#color-hex").input_value(), picked)
    assert page.locator("#color").input_value() == picked

    # Saved colors: save the picked one, use another, come back to it, remove it.
    page.click("#save-color")
    saved = page.locator("#saved-colors .swatch")
    assert saved.count() == 1 and saved.first.get_attribute("data-color") == picked
    swatches = page.locator("#palette .swatch")
    other = next(i for i in range(swatches.count()) if swatches.nth(i).get_attribute("data-color") != picked)
    swatches.nth(other).click()
    assert page.locator("#color-hex").input_value() != picked
    saved.first.click()
    assert page.locator("#color-hex").input_value() == picked
    page.click("#save-color")  # saving it again does not duplicate it
    assert saved.count() == 1
    page.fill("#color-hex", "#123abc")
    page.press("#color-hex", "Enter")
    page.click("#save-color")
    assert saved.count() == 2
    saved.first.click(button="right")
    assert saved.count() == 1 and saved.first.get_attribute("data-color") == "#123abc"
    page.screenshot(path=str(ARTIFACTS / "02b-saved-colors.png"))


def test_move_and_delete_hints(ctx):
    # Hints: drag one to move it, Delete removes the selected one, right-click another.
    page = drawn_editor(ctx)
    page.keyboard.press("h")
    box = page.locator("#overlay").bounding_box()
    count = page.evaluate("() => globalThis.tinctTestAPI.hints().length")
    start = page.evaluate("() => globalThis.tinctTestAPI.hints()[0]")
    x, y = hint_screen_point(page, box, 0)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y - 30, steps=5)
    page.mouse.up()
    moved = page.evaluate("() => globalThis.tinctTestAPI.hints()[0]")
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == count, "moving added a hint"
    assert moved["x"] > start["x"] + 10 and moved["y"] < start["y"] - 10, (start, moved)
    assert page.evaluate("() => globalThis.tinctTestAPI.selectedHint()") == 0
    page.keyboard.press("Delete")
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == count - 1
    x, y = hint_screen_point(page, box, 0)
    page.mouse.click(x, y, button="right")
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == count - 2
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == count
    wait_settled(page)


def test_project_round_trip(ctx):
    # A project saved after colorizing, loaded into a fresh page, colorizes identically.
    page = drawn_editor(ctx)
    count = page.evaluate("() => globalThis.tinctTestAPI.hints().length")
    first = page.evaluate(RESULT_DIGEST)
    with page.expect_download() as info:
        page.keyboard.press("Control+s")
    project_path = ARTIFACTS / "project.json"
    info.value.save_as(str(project_path))
    project = json.loads(project_path.read_text())
    assert project["format"] == "tinct-project" and project["mode"] == "lineart"
    assert project["model"] == "tiny-lineart" and len(project["hints"]) == count
    assert project["image"].startswith("data:image/png;base64,")
    page.reload()
    page.wait_for_function("() => document.body.dataset.connected === 'true'")
    wait_settled(page)
    assert page.evaluate("() => globalThis.tinctTestAPI.hints().length") == 0
    page.set_input_files("#load-project", str(project_path))
    page.wait_for_function(f"() => globalThis.tinctTestAPI.hints().length === {count}")
    wait_settled(page)
    second = page.evaluate(RESULT_DIGEST)
    assert first == second, f"the loaded project colorizes differently: {first} vs {second}"
    print(f"project round trip: {second[0]}x{second[1]} result identical (sha256 {second[2][:16]}…)")
    page.screenshot(path=str(ARTIFACTS / "02c-project-loaded.png"))


def test_color_picture_becomes_lines(ctx):
    # A color picture dropped in line-art mode goes straight to a preview of its lines
    # (Tests/Browser/test_first_hour.py tries the extractors and strengths); using them
    # turns it into ink on paper; undo brings the colors back.
    page = open_editor(ctx)
    wait_settled(page)

    def flat_color(x, y):
        if (x - 70) ** 2 + (y - 75) ** 2 <= 45 ** 2:
            return (220, 60, 40)
        if 120 <= x <= 180 and 30 <= y <= 120:
            return (40, 160, 70)
        return (150, 200, 240)
    give_file(page, "drop", "shapes.png", png_bytes(200, 150, flat_color))
    page.wait_for_function("() => document.getElementById('drawing').width === 200")
    page.wait_for_function("() => document.getElementById('result').dataset.preview === 'lines'")
    assert page.locator("#extract-panel").is_visible()
    assert page.evaluate("() => globalThis.tinctTestAPI.extracting()")
    assert "in colour" in page.locator("#status").inner_text()
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "lineart"
    page.screenshot(path=str(ARTIFACTS / "05-color-picture.png"))
    page.wait_for_function("() => !document.querySelector('#extract-panel .use').disabled")
    page.click("#extract-panel .use")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Using the lines')")
    stats = page.evaluate(DRAWING_STATS)
    assert stats["colorful"] == 0, f"color left after extraction: {stats}"
    assert 0.005 * stats["n"] < stats["ink"] < 0.3 * stats["n"], f"ink: {stats}"
    assert stats["paper"] > 0.6 * stats["n"], f"paper: {stats}"
    assert page.evaluate("() => [document.getElementById('drawing').width, document.getElementById('drawing').height]") == [200, 150]
    assert not page.locator("#extract-panel").is_visible()
    wait_settled(page)
    page.screenshot(path=str(ARTIFACTS / "06-extracted-lines.png"))
    page.keyboard.press("Control+z")
    assert page.evaluate(DRAWING_STATS)["colorful"] > 0.5 * stats["n"], "undo did not bring the colors back"
    page.keyboard.press("Control+y")
    assert page.evaluate(DRAWING_STATS)["colorful"] == 0


def test_pasted_photo_and_clear(ctx):
    # A black-and-white photo pasted in: photo mode.
    page = open_editor(ctx)
    draw_doodle(page)
    add_hints(page)
    give_file(page, "paste", "photo.png", png_bytes(160, 120, lambda x, y: ((x * 200 // 160 + y * 40 // 120 + (x * y) % 17) % 256,) * 3))
    page.wait_for_function("() => document.getElementById('drawing').width === 160")
    assert page.evaluate("() => globalThis.tinctTestAPI.mode()") == "photo"
    assert "black-and-white photo" in page.locator("#status").inner_text()
    page.click('[data-mode="lineart"]')

    # Clear: a blank sheet of the same size, no hints.
    page.click("#clear")
    stats = page.evaluate(DRAWING_STATS)
    assert stats["paper"] == stats["n"] and page.evaluate("() => globalThis.tinctTestAPI.hints().length") == 0
    assert page.evaluate("() => [document.getElementById('drawing').width, document.getElementById('drawing').height]") == [160, 120]


def test_layout_at_common_sizes(ctx):
    # The layout at common window sizes (after a colorization, so both panes are full).
    page = drawn_editor(ctx)
    check_layout(page, 1280, 800, "07-1280x800.png")
    check_layout(page, 1920, 1080, "08-1920x1080.png")
    check_layout(page, 800, 900, "09-800-wide.png")


def test_round_trip_of_a_256_drawing(ctx):
    # Round trip for a 256×256 drawing: open one, then stroke by stroke.
    page = open_editor(ctx)
    picture = ctx.work / "ring256.png"
    picture.write_bytes(png_bytes(256, 256, lambda x, y: (0, 0, 0) if 90 <= ((x - 128) ** 2 + (y - 128) ** 2) ** 0.5 <= 93 else (255, 255, 255)))
    page.set_input_files("#open-file", str(picture))
    page.wait_for_function("() => document.getElementById('drawing').width === 256")
    wait_settled(page)
    page.keyboard.press("p")
    box = page.locator("#overlay").bounding_box()
    before = page.evaluate("() => globalThis.tinctTestAPI.colorizer().roundTrips.length")
    for i in range(30):
        y = 0.1 + 0.8 * i / 30
        drag(page, box, [(0.3, y), (0.7, y)], steps=2)
        wait_settled(page)
    trips = page.evaluate(f"() => globalThis.tinctTestAPI.colorizer().roundTrips.slice({before})")
    trips.sort()
    p50 = statistics.median(trips)
    p95 = trips[min(len(trips) - 1, int(round(0.95 * (len(trips) - 1))))]
    print(f"/ws/colorize round trip, 256x256 drawing, tiny model: n={len(trips)} p50={p50:.1f} ms p95={p95:.1f} ms")
    (ARTIFACTS / "roundtrip.json").write_text(json.dumps({"n": len(trips), "p50_ms": p50, "p95_ms": p95, "all_ms": trips}))
    page.keyboard.press("h")
    page.fill("#color-hex", "#e76f51")
    page.press("#color-hex", "Enter")
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    wait_settled(page)
    page.screenshot(path=str(ARTIFACTS / "03-ring-256.png"))

    # A narrow window still shows everything usable.
    check_layout(page, 820, 1000, "04-narrow.png")


TESTS = [
    test_draw_erase_hint_undo_redo,
    test_point_hint_lands_exactly,
    test_download_is_the_drawing_size,
    test_photo_mode_without_a_model,
    test_eyedropper_and_saved_colors,
    test_move_and_delete_hints,
    test_project_round_trip,
    test_color_picture_becomes_lines,
    test_pasted_photo_and_clear,
    test_layout_at_common_sizes,
    test_round_trip_of_a_256_drawing,
]


def main() -> int:
    if binary_missing():
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-browser-"))
    write_tiny_model(work / "models" / "tiny-lineart")
    try:
        with serving(["--models", work / "models"], "server.log") as url, chromium() as browser:
            ctx = SimpleNamespace(url=url, work=work, browser=browser, context=None, problems=[])
            status = run_tests(TESTS, ctx, ctx.problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        print(f"browser test passed; screenshots in {ARTIFACTS}")
    return status


if __name__ == "__main__":
    sys.exit(main())
