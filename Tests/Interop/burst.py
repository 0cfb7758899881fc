"""The client side of a burst: many POST /api/colorize at once, each answer timed."""
import http.client
import threading
import time


def page_headers(port):
    """What the editor page served from `port` sends with a colorize request."""
    return {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}


def post_colorize(port, body, headers):
    """(status, body, Retry-After, seconds), or (an error text, None, None, seconds)."""
    started = time.monotonic()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("POST", "/api/colorize", body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, response.getheader("Retry-After"), time.monotonic() - started
    except OSError as error:
        return f"{type(error).__name__}: {error}", None, None, time.monotonic() - started


def burst(port, body, headers, total, concurrency, answered=None):
    """Sends `total` requests, `concurrency` at a time; `answered(count)` after each answer."""
    results, lock, counter = [None] * total, threading.Lock(), {"next": 0, "done": 0}

    def worker():
        while True:
            with lock:
                index = counter["next"]
                counter["next"] += 1
            if index >= total:
                return
            results[index] = post_colorize(port, body, headers)
            with lock:
                counter["done"] += 1
                done = counter["done"]
            if answered:
                answered(done)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
