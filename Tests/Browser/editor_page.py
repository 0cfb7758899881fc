"""The editor page as the browser tests drive it: scripts that read its canvases or hand it
files, a fresh connected editor, the doodle and hints most tests start from, and the layout
check. Shared by test_editor.py, test_first_hour.py and test_layers.py."""

import base64

from harness import ARTIFACTS, drag, wait_settled, watch_page

RESULT_DIGEST = """async () => {
  const canvas = document.getElementById('result');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', pixels));
  return [canvas.width, canvas.height, [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')];
}"""

# Ink, paper and color counts of the drawing canvas.
DRAWING_STATS = """() => {
  const canvas = document.getElementById('drawing');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0, paper = 0, colorful = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    if (y < 128) ink += 1;
    if (y > 240) paper += 1;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 24) colorful += 1;
  }
  return { n: data.length / 4, ink, paper, colorful };
}"""

# Hands a picture to the page as a drop on the drawing or as a paste, the way a browser does.
GIVE_FILE = """([how, name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: 'image/png' }));
  if (how === 'drop') {
    const stage = document.getElementById('stage');
    stage.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    stage.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  } else {
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }
}"""


def give_file(page, how: str, name: str, data: bytes) -> None:
    page.evaluate(GIVE_FILE, [how, name, base64.b64encode(data).decode()])


def hint_screen_point(page, box, index):
    """Where hint `index` is on the screen."""
    hint = page.evaluate(f"() => globalThis.tinctTestAPI.hints()[{index}]")
    size = page.evaluate("() => [document.getElementById('drawing').width, document.getElementById('drawing').height]")
    return box["x"] + (hint["x"] + 0.5) * box["width"] / size[0], box["y"] + (hint["y"] + 0.5) * box["height"] / size[1]


def check_layout(page, width, height, name):
    """At `width`×`height`: no sideways scrolling, both pictures and the main controls on screen."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(250)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{width}x{height}: the page scrolls sideways by {overflow} px"
    for selector in ["#drawing", "#result", "#colorize", "#model", "#extract-lines", "#download", "#color-hex", "#show-shortcuts"]:
        b = page.locator(selector).bounding_box()
        assert b and b["width"] > 0 and b["x"] >= 0 and b["x"] + b["width"] <= width + 1, f"{width}x{height}: {selector} at {b}"
    drawing = page.locator("#drawing").bounding_box()
    assert drawing["width"] >= min(250, width / 3), f"{width}x{height}: drawing only {drawing['width']} px wide"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def open_editor(ctx, viewport=(1400, 950)):
    """A fresh editor page, in a browser context of its own, connected to the server. The
    previous test's context is closed."""
    if ctx.context is not None:
        ctx.context.close()
    ctx.context = ctx.browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    page = watch_page(ctx.context.new_page(), ctx.problems)
    page.goto(ctx.url + "/")
    page.wait_for_function("() => document.body.dataset.connected === 'true'")
    return page


def draw_doodle(page) -> None:
    """A face-ish doodle with the pen, a wider mouth, and a bite of the eraser out of the box."""
    box = page.locator("#overlay").bounding_box()
    drag(page, box, [(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8), (0.2, 0.2)])
    drag(page, box, [(0.3, 0.35), (0.4, 0.45), (0.5, 0.35)])
    drag(page, box, [(0.55, 0.35), (0.65, 0.45), (0.7, 0.35)])
    page.keyboard.press("]")
    page.keyboard.press("]")
    drag(page, box, [(0.3, 0.65), (0.5, 0.72), (0.7, 0.65)], steps=10)
    # Eraser (E) takes a bite out of the box.
    page.keyboard.press("e")
    assert page.locator('button[data-tool="eraser"]').get_attribute("aria-pressed") == "true"
    drag(page, box, [(0.78, 0.5), (0.82, 0.5)])


def add_hints(page) -> int:
    """Hints (H): a point, then a stroke in another color. Returns how many there are."""
    box = page.locator("#overlay").bounding_box()
    page.keyboard.press("h")
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.55 * box["height"])
    page.fill("#color-hex", "#2a9d8f")
    page.press("#color-hex", "Enter")
    drag(page, box, [(0.1, 0.9), (0.9, 0.9)], steps=12)
    hints = page.evaluate("() => globalThis.tinctTestAPI.hints().length")
    assert hints >= 3, f"expected a point hint and a stroke of hints, got {hints}"
    return hints


def drawn_editor(ctx):
    """A fresh editor holding the doodle and its hints, colorized."""
    page = open_editor(ctx)
    draw_doodle(page)
    add_hints(page)
    wait_settled(page)
    return page
