"""A page on another site tries to drive the studio through the user's browser.

Starts the release `tinct serve` (with a dataset it could train on, so a started run would
show), and a second, unrelated web server on another port of 127.0.0.1 serving an attacker's
page. Headless Chromium opens that page, which sends what any web page can send without
asking: a `no-cors` POST with a text/plain body to start a run and to publish over the
shipped model, a JSON POST, and a WebSocket to /ws/colorize. The test then checks, from
outside the browser, that no run started and no model was written, that the socket was
refused, and that the studio's own page still works (same-origin requests are accepted).
Each check is a test of its own (the other site's page is opened once, by the first);
`run_tests` runs them all and reports each.
"""

import contextlib
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import binary_missing, chromium, free_port, get_json, png_bytes, run_tests, serving  # noqa: E402

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


@contextlib.contextmanager
def attacker_site(studio_port: int):
    """Serves the attacker's page (aimed at the studio on `studio_port`) from another port; yields its URL."""
    page_bytes = (ATTACK_PAGE % {"port": studio_port}).encode()

    class AttackerSite(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page_bytes)

        def log_message(self, *args):
            pass

    port = free_port()
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", port), AttackerSite)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        attacker.shutdown()


def attack_results(ctx) -> dict:
    """What the other site's page saw of its requests (it is opened once, by the first test)."""
    if ctx.results is None:
        page = ctx.browser.new_page()
        with attacker_site(int(ctx.url.rsplit(":", 1)[1])) as attacker:
            page.goto(f"{attacker}/")
            page.wait_for_function("() => globalThis.results && globalThis.results.done", timeout=20_000)
            ctx.results = page.evaluate("() => globalThis.results")
        page.close()
        print(f"the other site's page saw: {ctx.results}")
    return ctx.results


# Opaque answers are all a no-cors page gets; what matters is what the server did.
def test_no_run_started_from_another_site(ctx):
    attack_results(ctx)
    status = get_json(f"{ctx.url}/api/train/status")
    assert status.get("state") == "idle", f"a run was started from another site: {status}"


def test_no_model_written_from_another_site(ctx):
    attack_results(ctx)
    assert not any((ctx.work / "models").iterdir()), f"a model was written from another site: {list((ctx.work / 'models').iterdir())}"


def test_socket_from_another_site_refused(ctx):
    results = attack_results(ctx)
    assert results.get("socket") == "refused", f"the WebSocket from another site was {results.get('socket')}"


def test_json_start_from_another_site_unreadable(ctx):
    results = attack_results(ctx)
    assert str(results.get("jsonStart", "")).startswith("error"), \
        f"the JSON start from another site was answered readably: {results.get('jsonStart')}"


def test_own_page_still_starts_a_run(ctx):
    # The studio's own page, same origin, still starts and stops a run.
    attack_results(ctx)  # after the other site's tries, so a run they started would show above
    own = ctx.browser.new_page()
    own.goto(f"{ctx.url}/train")
    answer = own.evaluate("""async () => {
        const post = (path, body) => fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                                  body: JSON.stringify(body)});
        const started = await post("/api/train/start", {dataset: "pictures", size: 32, downs: 5, ngf: 4, ndf: 4, steps: 50});
        const stopped = await post("/api/train/stop", {});
        return [started.status, stopped.status];
    }""")
    own.close()
    assert answer[0] == 200, f"the studio's own page could not start a run: {answer}"


TESTS = [
    test_no_run_started_from_another_site,
    test_no_model_written_from_another_site,
    test_socket_from_another_site_refused,
    test_json_start_from_another_site_unreadable,
    test_own_page_still_starts_a_run,
]


def main() -> int:
    if binary_missing():
        return 2
    work = Path(tempfile.mkdtemp(prefix="tinct-cross-site-"))
    try:
        for i in range(6):
            folder = work / "data" / "pictures"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"p{i}.png").write_bytes(png_bytes(48, 40, lambda x, y, i=i: (20, 20, 20) if x % 9 == i else (200, 40 * i, 90)))
        (work / "models").mkdir()
        arguments = ["--models", work / "models", "--data-root", work / "data", "--runs", work / "runs"]
        with serving(arguments, "cross-site-server.log", stop_timeout=20) as url, chromium() as browser:
            ctx = SimpleNamespace(url=url, work=work, browser=browser, results=None)
            status = run_tests(TESTS, ctx)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if status == 0:
        print("cross-site browser test passed")
    return status


if __name__ == "__main__":
    sys.exit(main())
