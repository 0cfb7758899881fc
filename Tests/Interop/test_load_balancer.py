"""Two `tinct serve` replicas behind a real nginx (Tests/Interop/tinct-nginx.conf) on loopback.

1. A live /ws/colorize session through nginx stays on one replica: its second request leaves
   the picture out (the replica holding the session has it), and it still works after the
   other replica has been killed. nginx's log shows every socket on the same replica.
2. A burst of concurrent POST /api/colorize through nginx, sent as the editor page sends them
   (Origin and Sec-Fetch-Site of the page's own site), with the replica that does not hold the
   socket killed (SIGKILL) mid-burst: every answer is 200 (a PNG of the drawing's size) or 503
   with Retry-After. No more requests may fail than were in flight on the killed replica
   (nginx's log tells which attempts had connected to it), and with the recipe's
   `proxy_next_upstream ... non_idempotent` none does: nginx resends them to the survivor.
3. A foreign Host through nginx is still refused by the replicas (403): the proxy passes the
   browser's Host on, it does not open the replicas to other names.

Latencies are printed, never asserted. Needs the release build (TINCT_BINARY to use another),
nginx, Pillow and websockets (make test-interop installs them).
"""
import base64
import contextlib
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from burst import burst, page_headers, percentile, post_colorize  # noqa: E402
from cluster import Cluster, colorize_body, drawing_png, png_size  # noqa: E402

BURST = 48
CONCURRENCY = 8
KILL_AFTER_ANSWERS = 12
SIDE = 256


class Session:
    """A /ws/colorize session through nginx, opened as the editor page opens it."""

    def __init__(self, connection):
        self.connection = connection
        self.next_id = 1

    @classmethod
    @contextlib.contextmanager
    def open(cls, port):
        from websockets.sync.client import connect
        with connect(f"ws://127.0.0.1:{port}/ws/colorize", origin=f"http://127.0.0.1:{port}",
                     max_size=64 << 20, open_timeout=30) as connection:
            yield cls(connection)

    def colorize(self, png=None):
        """One round trip; the server's answer to it. The picture is left out when `png` is None."""
        message = {"type": "colorize", "version": 1, "id": self.next_id, "mode": "lineart",
                   "hints": [{"x": 60, "y": 60, "color": "#20a040", "r": 4}]}
        if png is not None:
            message["image"] = base64.b64encode(png).decode()
        self.connection.send(json.dumps(message))
        while True:
            answer = json.loads(self.connection.recv(timeout=120))
            if answer.get("id") == self.next_id:
                self.next_id += 1
                return answer


def expect_result(answer, what):
    assert answer.get("type") == "result", f"{what}: expected a result, got {answer}"
    image = base64.b64decode(answer["image"])
    assert png_size(image) == (SIDE, SIDE), f"{what}: the result is not a {SIDE}×{SIDE} PNG"


def wait_for_sockets(cluster, count):
    """The replica of each /ws/colorize session in nginx's log (written when a socket closes)."""
    deadline = time.monotonic() + 10
    while True:
        replicas = [entry["attempts"][-1][0] for entry in cluster.access_log() if entry["uri"] == "/ws/colorize"]
        if len(replicas) >= count or time.monotonic() > deadline:
            return replicas
        time.sleep(0.1)


def main():
    png = drawing_png(SIDE)
    body = colorize_body(png)
    with Cluster() as cluster:
        headers = page_headers(cluster.port)
        addresses = {name: replica["address"] for name, replica in cluster.replicas.items()}
        # Each replica loads the model on its first request; a fresh one answers 503 meanwhile.
        for replica in cluster.replicas.values():
            status, *_ = post_colorize(replica["port"], body, page_headers(replica["port"]))
            assert status == 200, f"warming replica {replica['address']} up: {status}"

        # Which replica do this client's sockets reach? A first session, closed, is in the log.
        with Session.open(cluster.port) as probe:
            expect_result(probe.colorize(png), "first socket")
        probes = wait_for_sockets(cluster, 1)
        assert probes, "nginx logged no /ws/colorize session"
        sticky_address = probes[0]
        sticky = next(name for name, address in addresses.items() if address == sticky_address)
        victim = "b" if sticky == "a" else "a"

        with Session.open(cluster.port) as live:
            expect_result(live.colorize(png), "live socket, first request")
            kill_now = threading.Event()
            killer = threading.Thread(target=lambda: kill_now.wait() and cluster.kill(victim))
            killer.start()
            outcome = burst(cluster.port, body, headers, BURST, CONCURRENCY,
                            answered=lambda done: done == KILL_AFTER_ANSWERS and kill_now.set())
            kill_now.set()
            killer.join()
            expect_result(live.colorize(), "live socket after the burst and the kill (picture left out)")

        foreign = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=30)
        foreign.request("GET", "/api/models", headers={"Host": "rebound.example"})
        foreign_status = foreign.getresponse().status
        sockets = wait_for_sockets(cluster, 2)
        log = cluster.access_log()

    statuses = [status for status, *_ in outcome]
    counts = {str(status): statuses.count(status) for status in set(statuses)}
    for status, data, retry_after, _ in outcome:
        if status == 200:
            assert png_size(data) == (SIDE, SIDE), "a 200 answer is not a PNG of the drawing's size"
        if status == 503:
            assert retry_after, "a 503 without Retry-After"
    failed = [status for status in statuses if status not in (200, 503)]

    colorize_log = [entry for entry in log if entry["uri"] == "/api/colorize"]
    victim_address = addresses[victim]
    # Attempts on the killed replica that had connected and got no answer from it: in flight.
    in_flight = sum(1 for entry in colorize_log for address, status, connect in entry["attempts"]
                    if address == victim_address and connect != "-" and status in ("502", "504", "-"))
    served = {name: sum(1 for entry in colorize_log if entry["attempts"][-1][0] == address and entry["status"] == 200)
              for name, address in addresses.items()}
    retried = sum(1 for entry in colorize_log if len(entry["attempts"]) > 1)
    seconds = [elapsed for status, _, _, elapsed in outcome if status == 200]

    print(f"burst of {BURST} through nginx, {CONCURRENCY} at a time, replica {victim} killed after "
          f"{KILL_AFTER_ANSWERS} answers: answers {counts}; 200s served by {served}; "
          f"{in_flight} in flight on the killed replica, {retried} resent to the other, {len(failed)} failed")
    print(f"latency of the 200s: p50 {percentile(seconds, 0.5) * 1000:.0f} ms, p99 {percentile(seconds, 0.99) * 1000:.0f} ms")
    print(f"sockets: {len(sockets)} sessions, all on replica {sticky} ({sticky_address})")

    # The bound — no more failures than requests in flight on the killed replica — and
    # the recipe's promise: nginx resends those to the survivor, so nothing fails at all.
    assert len(failed) <= in_flight, (
        f"{len(failed)} requests failed ({failed}), more than the {in_flight} in flight on the killed replica")
    assert not failed, f"answers other than 200 and 503: {failed} ({in_flight} were in flight on the killed replica)"
    assert served[victim] >= 1, "the killed replica answered nothing before it died: the burst did not test a kill"
    assert served[sticky] >= 1, "the surviving replica answered nothing"
    assert len(sockets) == 2 and set(sockets) == {sticky_address}, f"sockets reached {sockets}, not one replica"
    assert foreign_status == 403, f"a foreign Host through nginx got {foreign_status}, not 403"
    print("test_load_balancer: ok")


if __name__ == "__main__":
    main()
