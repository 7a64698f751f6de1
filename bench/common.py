"""Shared pieces of the benchmarks: a gunicorn server on 127.0.0.1, a logged-in HTTP client, percentiles.

Everything talks to 127.0.0.1 only, and every loop is bounded.
"""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(
    database_url: str,
    workers: int = 2,
    port: int | None = None,
    extra_env: dict | None = None,
    log_path: Path | None = None,
):
    """`factcheck serve` (gunicorn) on 127.0.0.1; yields (base_url, Popen). The server's output
    goes to ``log_path``, else to instance/bench-server-PORT.log when instance/ exists."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    env.setdefault("FACTCHECK_INSTANCE", str(REPO / "instance" / "bench"))
    if log_path is None and (REPO / "instance").is_dir():
        log_path = REPO / "instance" / f"bench-server-{port}.log"
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not answer /healthz within 30 s")
        yield base, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class Client:
    """A browser-like client: cookies, CSRF tokens from the pages, no redirects followed on POST."""

    _CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')

    def __init__(self, base: str, source: str | None = None):
        """``source``: connect from this loopback address (e.g. 127.0.0.2), as a second client machine."""
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()]
        if source:
            handlers.append(_FromAddress(source))
        self.opener = urllib.request.build_opener(*handlers)
        self.token = None

    def request(self, path: str, data: dict | None = None, timeout: float = 60):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            resp = self.opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as err:
            resp = err
        return resp

    def get(self, path: str) -> tuple[int, bytes]:
        resp = self.request(path)
        payload = resp.read()
        resp.close()
        if resp.headers.get_content_type() == "text/html":
            match = self._CSRF.search(payload.decode("utf-8", "replace"))
            if match:
                self.token = match.group(1) or match.group(2)
        return resp.status, payload

    def post(self, path: str, data: dict) -> tuple[int, bytes]:
        if self.token is None:
            self.get("/login")
        resp = self.request(path, {**data, "csrf_token": self.token})
        payload = resp.read()
        resp.close()
        return resp.status, payload

    def login(self, username: str, password: str) -> None:
        self.get("/login")
        status, _ = self.post("/login", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"log-in as {username} failed ({status})")
        self.token = None
        self.get("/claims")


class _FromAddress(urllib.request.HTTPHandler):
    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.source, 0)), req)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def link_labelled(page: bytes | str, label: str) -> str | None:
    """The href of the first link whose text is ``label`` (pagination: First, Previous, Next, Last)."""
    html = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    for match in re.finditer(r'<a\b([^>]*)>(.*?)</a>', html, re.S):
        href = re.search(r'href="([^"]+)"', match.group(1))
        text = re.sub(r"<[^>]+>", "", match.group(2))
        if href and label.lower() in text.lower():
            return href.group(1).replace("&amp;", "&")
    return None


def drain(resp, block: int = 1 << 20) -> int:
    """Read a streamed response to its end in ``block``-byte reads; the bytes read."""
    size = 0
    while chunk := resp.read(block):
        size += len(chunk)
    return size


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(latencies_ms: list[float]) -> str:
    return (
        f"median {statistics.median(latencies_ms):6.1f} ms  p95 {percentile(latencies_ms, 95):6.1f} ms  "
        f"p99 {percentile(latencies_ms, 99):6.1f} ms  max {max(latencies_ms):6.1f} ms  (n={len(latencies_ms)})"
    )


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory now (VmRSS), or its peak so far (field="VmHWM"), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []
