"""A page on another site tries to drive the studio through the user's browser.

Starts the release `tinct serve` (with a dataset it could train on, so a started run would
show), and a second, unrelated web server on another port of 127.0.0.1 serving an attacker's
page. Headless Chromium opens that page, which sends what any web page can send without
asking: a `no-cors` POST with a text/plain body to start a run and to publish over the
shipped model, a JSON POST, and a WebSocket to /ws/colorize. The test then checks, from
outside the browser, that no run started and no model was written, that the socket was
refused, and that the studio's own page still works (same-origin requests are accepted).
"""

import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ARTIFACTS, CHROMIUM, ROOT, TINCT, free_port, get_json, png_bytes, wait_for_server, stop_server  # noqa: E402

ATTACK_PAGE = """<!doctype html><title>Not Tinct</title><script>
const studio = "http://127.0.0.1:%(port)d";
const start = JSON.stringify({dataset: "pictures", size: 32, downs: 5, ngf: 4, ndf: 4, steps: 50});
globalThis.results = {};
(async () => {
  const send = async (name, path, options) => {
    try { const r = await fetch(studio + path, options); results[name] = r.type + " " + r.status; }
    catch (e) { results[name] = "error " + e.name; }
  };
  await send("noCorsStart", "/api/train/start", {method: "POST", mode: "no-cors", body: start});
  await send("noCorsPublish", "/api/train/publish",
             {method: "POST", mode: "no-cors", body: JSON.stringify({run: "x", name: "default-lineart", replace: true})});
  await send("jsonStart", "/api/train/start",
             {method: "POST", headers: {"Content-Type": "application/json"}, body: start});
  results.socket = await new Promise((resolve) => {
    const socket = new WebSocket("ws://127.0.0.1:%(port)d/ws/colorize");
    socket.onopen = () => { resolve("open"); socket.close(); };
    socket.onerror = () => resolve("refused");
  });
  results.done = true;
})();
</script>"""


def main() -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    if not TINCT.exists():
        print(f"{TINCT} is missing: run `swift build -c release --product tinct` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-cross-site-"))
    for i in range(6):
        folder = work / "data" / "pictures"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{i}.png").write_bytes(png_bytes(48, 40, lambda x, y, i=i: (20, 20, 20) if x % 9 == i else (200, 40 * i, 90)))
    (work / "models").mkdir()
    port, attacker_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(TINCT), "serve", "--host", "127.0.0.1", "--port", str(port), "--models", str(work / "models"),
         "--data-root", str(work / "data"), "--runs", str(work / "runs")],
        cwd=ROOT, stdout=open(ARTIFACTS / "cross-site-server.log", "w"), stderr=subprocess.STDOUT,
    )
    page_bytes = (ATTACK_PAGE % {"port": port}).encode()

    class AttackerSite(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page_bytes)

        def log_message(self, *args):
            pass

    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", attacker_port), AttackerSite)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    problems = []
    try:
        wait_for_server(url, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{attacker_port}/")
            page.wait_for_function("() => globalThis.results && globalThis.results.done", timeout=20_000)
            results = page.evaluate("() => globalThis.results")
            print(f"the other site's page saw: {results}")
            # Opaque answers are all a no-cors page gets; what matters is what the server did.
            status = get_json(f"{url}/api/train/status")
            if status.get("state") != "idle":
                problems.append(f"a run was started from another site: {status}")
            if any((work / "models").iterdir()):
                problems.append(f"a model was written from another site: {list((work / 'models').iterdir())}")
            if results.get("socket") != "refused":
                problems.append(f"the WebSocket from another site was {results.get('socket')}")
            if not str(results.get("jsonStart", "")).startswith("error"):
                problems.append(f"the JSON start from another site was answered readably: {results.get('jsonStart')}")
            # The studio's own page, same origin, still starts and stops a run.
            own = browser.new_page()
            own.goto(f"{url}/train")
            answer = own.evaluate("""async () => {
                const post = (path, body) => fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                                          body: JSON.stringify(body)});
                const started = await post("/api/train/start", {dataset: "pictures", size: 32, downs: 5, ngf: 4, ndf: 4, steps: 50});
                const stopped = await post("/api/train/stop", {});
                return [started.status, stopped.status];
            }""")
            if answer[0] != 200:
                problems.append(f"the studio's own page could not start a run: {answer}")
            browser.close()
    finally:
        attacker.shutdown()
        stop_server(server, timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print("cross-site browser test passed")
    return 0


def test_cross_site():
    """pytest entry point."""
    assert main() == 0


if __name__ == "__main__":
    sys.exit(main())
