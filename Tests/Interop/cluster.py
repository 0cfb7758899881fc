"""Two `tinct serve` replicas behind nginx, all on loopback, for test_load_balancer.py and
measure_load_balancer.py. nginx runs Tests/Interop/tinct-nginx.conf (the README's recipe)
inside a main configuration of its own (pid, logs and temporary files in a scratch folder).
"""
import base64
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TINCT = Path(os.environ.get("TINCT_BINARY", REPO / ".build" / "release" / "tinct"))
RECIPE = Path(__file__).with_name("tinct-nginx.conf")

# Each access-log line: what came in, what went out, and every replica attempt, so a test can
# tell which replica served a request and which attempts failed.
LOG_FORMAT = ('$request_method $uri $status upstream=$upstream_addr status=$upstream_status '
              'connect=$upstream_connect_time time=$request_time')

MAIN_CONFIG = string.Template("""worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 512; }
http {
    log_format tinct '${log_format}';
    access_log ${work}/access.log tinct;
    client_body_temp_path ${work}/client_body;
    proxy_temp_path ${work}/proxy;
    fastcgi_temp_path ${work}/fastcgi;
    uwsgi_temp_path ${work}/uwsgi;
    scgi_temp_path ${work}/scgi;
    include ${work}/tinct.conf;
}
""")


def free_port():
    """A TCP port nothing listens on now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(port, path="/healthz", seconds=60, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered GET {path} on port {port} within {seconds} s")


def drawing_png(side=256):
    """A line drawing (a ring, a box and a diagonal, black on white) as PNG bytes."""
    from PIL import Image, ImageDraw
    picture = Image.new("L", (side, side), 255)
    pen = ImageDraw.Draw(picture)
    pen.ellipse((side * 0.2, side * 0.2, side * 0.8, side * 0.8), outline=0, width=3)
    pen.rectangle((side // 8, side // 8, 7 * side // 8, 7 * side // 8), outline=0, width=2)
    pen.line((0, 0, side, side), fill=0, width=3)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def colorize_body(png):
    hints = [{"x": 128, "y": 128, "color": "#e04020", "r": 4}, {"x": 40, "y": 200, "color": "#3366ff", "r": 4}]
    return json.dumps({"image": base64.b64encode(png).decode(), "mode": "lineart", "hints": hints}).encode()


def png_size(data):
    """(width, height) of a PNG, or None when `data` is not one."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


class Cluster:
    """Two replicas (`a`, `b`) and nginx; a context manager that stops all three."""

    def __init__(self):
        if not TINCT.exists():
            raise SystemExit(f"{TINCT} is missing: build it first (make build), or set TINCT_BINARY")
        self.nginx_binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(self.nginx_binary):
            raise SystemExit("nginx is missing: apt-get install nginx (make test-interop does)")
        self.work = Path(tempfile.mkdtemp(prefix="tinct-cluster-"))
        # nginx's workers drop root for `nobody`, who must reach the temporary folders.
        self.work.chmod(0o755)
        self.replicas = {}
        self.nginx = None

    def __enter__(self):
        try:
            for name in ("a", "b"):
                self.replicas[name] = self._start_replica(name)
            self.port = free_port()
            recipe = string.Template(RECIPE.read_text()).safe_substitute(
                replica_a=f"127.0.0.1:{self.replicas['a']['port']}",
                replica_b=f"127.0.0.1:{self.replicas['b']['port']}",
                listen=f"127.0.0.1:{self.port}")
            assert "${" not in recipe, "tinct-nginx.conf has a field the cluster does not fill"
            (self.work / "tinct.conf").write_text(recipe)
            (self.work / "nginx.conf").write_text(MAIN_CONFIG.substitute(work=self.work, log_format=LOG_FORMAT))
            self.nginx = subprocess.Popen(
                [self.nginx_binary, "-p", str(self.work), "-e", str(self.work / "error.log"), "-c", str(self.work / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=open(self.work / "nginx.stderr", "wb"))
            wait_until_answering(self.port, process=self.nginx)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_replica(self, name):
        port = free_port()
        folder = self.work / name
        folder.mkdir()
        process = subprocess.Popen(
            [str(TINCT), "serve", "--port", str(port), "--models", str(REPO / "models"),
             "--data-root", str(folder / "data"), "--runs", str(folder / "runs")],
            stdout=open(folder / "serve.log", "wb"), stderr=subprocess.STDOUT)
        wait_until_answering(port, process=process)
        return {"port": port, "process": process, "address": f"127.0.0.1:{port}"}

    def kill(self, name):
        """SIGKILL: the replica dies with whatever it holds, as a crashed machine would."""
        self.replicas[name]["process"].send_signal(signal.SIGKILL)
        self.replicas[name]["process"].wait()

    def access_log(self):
        """The access-log lines as dicts: method, uri, status, attempts [(address, status, connect)]."""
        path = self.work / "access.log"
        entries = []
        for line in path.read_text().splitlines() if path.exists() else []:
            # Several attempts are listed as "a, b" within a field.
            fields = re.fullmatch(r"(\S+) (\S+) (\d+) upstream=(.*) status=(.*) connect=(.*) time=(\S+)", line)
            if fields is None:
                raise ValueError(f"unexpected access-log line: {line}")
            method, uri, status, upstream, upstream_status, connect, _ = fields.groups()
            addresses, statuses, connects = (field.split(", ") for field in (upstream, upstream_status, connect))
            entries.append({"method": method, "uri": uri, "status": int(status),
                            "attempts": list(zip(addresses, statuses, connects))})
        return entries

    def __exit__(self, *exc):
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for replica in self.replicas.values():
            if replica["process"].poll() is None:
                replica["process"].send_signal(signal.SIGTERM)
                try:
                    replica["process"].wait(timeout=10)
                except subprocess.TimeoutExpired:
                    replica["process"].kill()
                    replica["process"].wait()
        if os.environ.get("KEEP_CLUSTER_FILES"):
            print(f"cluster files kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)
        return False
