"""Measures the editor's live-preview round trip in headless Chromium (never asserted).

Starts the release `tinct serve` with the repository's models (default: models/, whose
`default-lineart` the editor picks), opens a 256×256 drawing, then makes `--edits` pen strokes
and `--hint-edits` hint clicks, waiting for each result to be drawn. For every request it
records, from outside the page's code (so it measures old and new editor scripts alike):
- encode: the drawing → PNG → base64 → JSON message, in the page, before sending;
- round trip: message sent → answer received (server queue + inference + transfer + parse);
- server: the server's own figure in the answer (decode, network, compose, PNG encode);
- shown: encoding started → result drawn on the canvas (what a person waits for after the
  live debounce).
Prints p50/p95 of each and writes test-artifacts/latency.json.

    .venv/bin/python Tests/Browser/measure_latency.py [--edits 40] [--public DIR --templates DIR]
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, ROOT, TINCT, chromium, drag, png_bytes, serving, wait_settled  # noqa: E402

# Wraps the client's send and result handler to time each request by id.
INSTRUMENT = """() => {
  const client = globalThis.tinctTestAPI.colorizeClient;
  const records = new Map();
  globalThis.latency = { records };
  const send = client.send.bind(client);
  client.send = () => {
    const startedAt = performance.now();
    const id = client.nextID;
    const socketSend = client.socket.send.bind(client.socket);
    let sentAt = null;
    let bytesSent = 0;
    client.socket.send = (data) => {
      sentAt = performance.now();
      bytesSent = data.length ?? data.byteLength ?? data.size ?? 0;
      delete client.socket.send;
      socketSend(data);
    };
    send();
    delete client.socket.send;
    if (client.nextID !== id) records.set(id, { startedAt, encode: sentAt - startedAt, sentAt, bytesSent });
  };
  const receive = client.receive.bind(client);
  client.receive = (text) => {
    const at = performance.now();
    try {
      const m = JSON.parse(text);
      const r = records.get(m.id);
      if (r) { r.roundTrip = at - r.sentAt; r.server = m.ms ?? null; r.type = m.type; r.bytesReceived = text.length ?? text.byteLength ?? text.size; }
    } catch {}
    receive(text);
  };
  const onResult = client.onResult;
  client.onResult = (result) => {
    const r = records.get(result.id);
    const done = () => { if (r) r.shown = performance.now() - r.startedAt; };
    const p = onResult(result);
    if (p && typeof p.then === "function") p.then(done); else done();
    return p;
  };
}"""


# Editor scripts from before the test API (an older checkout's, with --public) kept the client
# on globalThis.tinct: this gives them the parts of Public/js/test-api.js the measurement reads.
OLDER_EDITOR = """() => {
  if (globalThis.tinctTestAPI || !globalThis.tinct) return;
  const client = globalThis.tinct.client;
  globalThis.tinctTestAPI = {
    colorizeClient: client,
    colorizer: () => ({ settled: client.connected && !client.inFlight && !client.wanted && client.lastShownID === client.nextID - 1 }),
    result: () => ({ shown: document.getElementById('result').dataset.ready === 'true' }),
  };
}"""


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summarize(records):
    rows = {}
    for key in ["encode", "roundTrip", "server", "shown"]:
        values = [r[key] for r in records if r.get(key) is not None]
        if values:
            rows[key] = {"n": len(values), "p50": statistics.median(values), "p95": percentile(values, 0.95)}
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=40, help="pen strokes (each resends the drawing)")
    parser.add_argument("--hint-edits", type=int, default=20, help="hint clicks (the drawing is not resent)")
    parser.add_argument("--models", default=str(ROOT / "models"))
    parser.add_argument("--public", help="Public/ folder to serve (e.g. an older checkout's)")
    parser.add_argument("--templates", help="templates/ folder to serve")
    parser.add_argument("--label", default="", help="name stored with the figures")
    parser.add_argument("--tinct", default=str(TINCT), help="the tinct binary to serve with")
    args = parser.parse_args()

    arguments = ["--models", args.models]
    if args.public:
        arguments += ["--public", args.public]
    if args.templates:
        arguments += ["--templates", args.templates]
    work = Path(tempfile.mkdtemp(prefix="tinct-latency-"))
    try:
        with serving(arguments, "latency-server.log", binary=args.tinct) as url, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url + "/")
            page.wait_for_function("() => document.body.dataset.connected === 'true'")
            page.evaluate(OLDER_EDITOR)
            model = page.locator("#model").input_value()
            picture = work / "ring256.png"
            picture.write_bytes(png_bytes(256, 256, lambda x, y: (0, 0, 0) if 90 <= ((x - 128) ** 2 + (y - 128) ** 2) ** 0.5 <= 93 else (255, 255, 255)))
            page.set_input_files("#open-file", str(picture))
            page.wait_for_function("() => document.getElementById('drawing').width === 256")
            wait_settled(page, timeout=60_000)  # the first request loads the model
            page.evaluate(INSTRUMENT)
            page.keyboard.press("p")
            box = page.locator("#overlay").bounding_box()
            for i in range(args.edits):
                y = 0.1 + 0.8 * i / max(1, args.edits)
                drag(page, box, [(0.3, y), (0.7, y)], steps=2)
                wait_settled(page)
            pen = page.evaluate("() => [...globalThis.latency.records.values()]")
            page.evaluate("() => globalThis.latency.records.clear()")
            page.keyboard.press("h")
            for i in range(args.hint_edits):
                page.mouse.click(box["x"] + (0.15 + 0.7 * i / max(1, args.hint_edits)) * box["width"], box["y"] + 0.5 * box["height"])
                wait_settled(page)
            hints = page.evaluate("() => [...globalThis.latency.records.values()]")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    pen = [r for r in pen if r.get("type") == "result"]
    hints = [r for r in hints if r.get("type") == "result"]
    report = {"label": args.label, "model": model, "pen": summarize(pen), "hints": summarize(hints),
              "pen_records": pen, "hint_records": hints}
    for name, rows in [("pen strokes (drawing resent)", report["pen"]), ("hint clicks", report["hints"])]:
        print(f"{args.label} {model}, 256x256, {name}:")
        for key, row in rows.items():
            print(f"  {key:<10} n={row['n']:<3} p50={row['p50']:7.1f} ms  p95={row['p95']:7.1f} ms")
    if pen:
        print(f"  message sizes p50: {statistics.median(r.get('bytesSent', 0) for r in pen):.0f} bytes sent,"
          f" {statistics.median(r.get('bytesReceived', 0) for r in pen):.0f} bytes received")
    name = f"latency{'-' + args.label if args.label else ''}.json"
    (ARTIFACTS / name).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
