"""The artist's helpers in the editor (issue #16), in headless Chromium, with the shipped
line-art model (models/default-lineart: its dropout gives the variants):

1. variants (V): four other colourings that differ from each other; clicking one adopts it —
   the live result becomes that variant's picture pixel for pixel, and a saved project keeps
   its seed;
2. suggested colours: the hint tool resting over an unhinted shape of a 512² drawing shows
   swatches (the time from the question to the swatches is printed, not asserted, then for
   two more rests over the same drawing); clicking one adds a hint of that colour at that point;
3. a reference picture of known colours (50 % red, 30 % blue, 20 % yellow) gives them, in
   that order, in the reference palette row;
4. hovering with the hint tool outlines the area a hint would colour: one area inside a
   closed shape, another in the next shape, the open page's disc elsewhere;
5. the `?` list names V and R.
Run with `make test-browser` (or `.venv/bin/python Tests/Browser/test_artist.py`).
"""

import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, ROOT, binary_missing, chromium, png_bytes, run_tests, serving, wait_settled  # noqa: E402
from editor_page import give_file, open_editor  # noqa: E402

SIDE = 512
# Closed shapes (left, top, right, bottom), 3 px of ink; the first gets a hint, the others not.
SHAPES = [(40, 40, 220, 220), (280, 60, 470, 250), (60, 300, 300, 470)]
HINT = {"x": 130, "y": 130, "color": "#d03020"}


def drawing_pixel(x, y):
    for left, top, right, bottom in SHAPES:
        if left <= x <= right and top <= y <= bottom and min(x - left, right - x, y - top, bottom - y) < 3:
            return (0, 0, 0)
    return (255, 255, 255)


def reference_pixel(x, y):
    return (200, 30, 30) if x < 100 else (30, 60, 200) if x < 160 else (240, 220, 40)


def screen(page, x, y):
    box = page.locator("#overlay").bounding_box()
    return box["x"] + (x + 0.5) * box["width"] / SIDE, box["y"] + (y + 0.5) * box["height"] / SIDE


def editor_with_drawing(ctx):
    page = open_editor(ctx)
    wait_settled(page)
    give_file(page, "drop", "shapes.png", ctx.drawing)
    wait_settled(page)
    page.keyboard.press("h")
    return page


# Pixels of an image element or of the result canvas, as a list (for comparing in Python).
PIXELS = """async (selector) => {
  const element = document.querySelector(selector);
  if (element instanceof HTMLImageElement) await element.decode();
  const canvas = document.createElement('canvas');
  canvas.width = element.naturalWidth ?? element.width;
  canvas.height = element.naturalHeight ?? element.height;
  const context = canvas.getContext('2d');
  context.drawImage(element, 0, 0);
  return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data);
}"""


def test_variants(ctx) -> None:
    page = editor_with_drawing(ctx)
    page.mouse.click(*screen(page, HINT["x"], HINT["y"]))
    wait_settled(page)
    page.keyboard.press("v")
    page.wait_for_function("() => document.getElementById('variants').dataset.ready === 'true'", timeout=60_000)
    seeds = page.eval_on_selector_all("#variants button[data-seed]:not([data-seed=''])", "bs => bs.map(b => Number(b.dataset.seed))")
    assert seeds == [1, 2, 3, 4], seeds
    pictures = [page.evaluate(PIXELS, f"#variants button[data-seed='{s}'] img") for s in seeds]
    distinct = len({bytes(p) for p in pictures})
    differing = sum(a != b for a, b in zip(pictures[0], pictures[1]))
    print(f"  variants 1-4: {distinct} distinct pictures; 1 and 2 differ in {differing} of {len(pictures[0])} channel values")
    assert distinct == 4, f"only {distinct} of 4 variants differ"
    page.screenshot(path=str(ARTIFACTS / "artist-variants.png"))
    page.click("#variants button[data-seed='3']")
    wait_settled(page)
    assert page.evaluate("() => globalThis.tinctTestAPI.variant()") == 3
    result = page.evaluate(PIXELS, "#result")
    worst = max(abs(a - b) for a, b in zip(result, pictures[2]))
    assert worst == 0, f"the adopted variant's live result differs from its picture by {worst} levels"
    with page.expect_download() as info:
        page.keyboard.press("Control+s")
    project = json.loads(Path(info.value.path()).read_text())
    assert project["variant"] == 3, project.get("variant")
    print("  adopted variant 3: the live result is its picture pixel for pixel; the project keeps seed 3")


def test_suggestions(ctx) -> None:
    page = editor_with_drawing(ctx)
    x, y = 375, 150  # inside the second shape, which no hint reaches
    hints_before = len(page.evaluate("() => globalThis.tinctTestAPI.hints()"))
    page.mouse.move(*screen(page, x - 3, y))
    started = time.perf_counter()
    page.mouse.move(*screen(page, x, y))
    page.wait_for_function(f"() => {{ const r = document.getElementById('suggestions'); return r.dataset.x === '{x}'"
                           f" && r.dataset.y === '{y}'; }}", timeout=30_000)
    seen = (time.perf_counter() - started) * 1000
    swatches = page.eval_on_selector_all("#suggestions button.swatch", "bs => bs.map(b => [b.dataset.color, b.title])")
    server_ms = page.evaluate("() => Number(document.getElementById('suggestions').dataset.ms)")
    print(f"  suggestions at ({x}, {y}) of a {SIDE}² drawing: {swatches}; question to swatches {server_ms} ms"
          f" (from the pointer's last move {seen:.0f} ms, of which 250 ms is the rest before asking)")
    assert swatches, "no suggestion"
    # Another point of the same drawing, then the first again: the server keeps the drawing's
    # regions and hint fill, so only the network runs; the same point gives the same swatches.
    for other_x, other_y in ((x + 20, y + 30), (x, y)):
        page.mouse.move(*screen(page, other_x, other_y))
        page.wait_for_function(f"() => {{ const r = document.getElementById('suggestions'); return r.dataset.x === '{other_x}'"
                               f" && r.dataset.y === '{other_y}'; }}", timeout=30_000)
        again_ms = page.evaluate("() => Number(document.getElementById('suggestions').dataset.ms)")
        print(f"  then at ({other_x}, {other_y}) of the same drawing: question to swatches {again_ms} ms")
    assert page.eval_on_selector_all("#suggestions button.swatch", "bs => bs.map(b => [b.dataset.color, b.title])") == swatches
    page.screenshot(path=str(ARTIFACTS / "artist-suggestions.png"))
    page.click("#suggestions button.swatch >> nth=0")
    wait_settled(page)
    hints = page.evaluate("() => globalThis.tinctTestAPI.hints()")
    assert len(hints) == hints_before + 1, hints
    added = hints[-1]
    assert (added["x"], added["y"], added["color"]) == (x, y, swatches[0][0]), (added, swatches[0])


def test_reference_palette(ctx) -> None:
    page = open_editor(ctx)
    page.set_input_files("#reference-file", files=[{"name": "reference.png", "mimeType": "image/png",
                                                    "buffer": png_bytes(200, 60, reference_pixel)}])
    page.wait_for_function("() => document.getElementById('reference-palette').dataset.ready === 'true'", timeout=30_000)
    colors = page.eval_on_selector_all("#reference-palette button.swatch", "bs => bs.map(b => [b.dataset.color, b.title])")
    print(f"  reference palette: {colors}")
    expected = [(200, 30, 30), (30, 60, 200), (240, 220, 40)]
    assert len(colors) == 3, colors
    for (hex_color, _), rgb in zip(colors, expected):
        got = tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
        assert max(abs(a - b) for a, b in zip(got, rgb)) <= 2, (got, rgb)
    page.click("#reference-palette button.swatch >> nth=1")
    assert page.input_value("#color-hex") == colors[1][0]


def test_region_outline(ctx) -> None:
    page = editor_with_drawing(ctx)

    def area_at(x, y):
        page.mouse.move(*screen(page, x, y))
        page.wait_for_function("() => document.getElementById('overlay').dataset.outlinedArea !== undefined", timeout=20_000)
        return int(page.evaluate("() => document.getElementById('overlay').dataset.outlinedArea"))

    area_at(100, 100)
    page.wait_for_timeout(600)  # the segmentation arrives once, after the drawing settled
    inside_first, again_first = area_at(100, 100), area_at(200, 200)
    inside_second, on_page = area_at(375, 150), area_at(490, 490)
    print(f"  areas: first shape {inside_first} (and {again_first}), second {inside_second}, page {on_page}")
    assert inside_first >= 0 and inside_first == again_first, (inside_first, again_first)
    assert inside_second >= 0 and inside_second != inside_first
    assert on_page == -2, on_page
    area_at(375, 150)
    page.screenshot(path=str(ARTIFACTS / "artist-outline.png"))


def test_shortcuts_listed(ctx) -> None:
    page = open_editor(ctx)
    page.keyboard.press("?")
    listed = "\n".join(page.locator("#shortcut-help tbody tr").all_inner_texts())
    assert "variants" in listed and "reference picture" in listed and "Suggested colours" in listed, listed
    page.keyboard.press("?")


TESTS = [test_variants, test_suggestions, test_reference_palette, test_region_outline, test_shortcuts_listed]


def main() -> int:
    if binary_missing():
        return 2
    drawing = png_bytes(SIDE, SIDE, drawing_pixel)
    with serving(["--models", ROOT / "models"], "artist-server.log") as url, chromium() as browser:
        ctx = SimpleNamespace(url=url, browser=browser, context=None, problems=[], drawing=drawing)
        status = run_tests(TESTS, ctx, ctx.problems)
    if status == 0:
        print(f"artist test passed; screenshots in {ARTIFACTS}")
    return status


if __name__ == "__main__":
    sys.exit(main())
