"""A real webhook receiver for tests and bench scripts: http.server in a thread on 127.0.0.1.

It checks each request's Standard Webhooks signature with its own code (not the
tracker's), refuses the first ``fail_first`` attempts of every webhook-id with
a 500 (on purpose), and de-duplicates by webhook-id as a receiver should:
``accepted`` holds each id once, ``duplicates`` counts repeats.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The check a receiver makes (README, "Verifying a webhook")."""
    msg_id, timestamp, signatures = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures) or abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(sig.split(",", 1)[1], expected) for sig in signatures.split() if sig.startswith("v1,")
    )


class Receiver:
    def __init__(self, fail_first: int = 0, delay: float = 0.0):
        self.secret: str | None = None
        self.fail_first = fail_first
        self.delay = delay
        self.lock = threading.Lock()
        self.tries: Counter[str] = Counter()  # requests per webhook-id, failed ones included
        self.accepted: dict[str, dict] = {}  # webhook-id -> body, first acceptance only
        self.duplicates = 0  # requests for an id that was already accepted
        self.bad_signatures = 0
        self.headers_seen: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._handle(self.headers, body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/factcheck"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handle(self, headers, body: bytes) -> int:
        with self.lock:
            self.headers_seen.append(dict(headers))
            if self.secret is None or not verify(self.secret, headers, body):
                self.bad_signatures += 1
                return 401
            msg_id = headers["webhook-id"]
            self.tries[msg_id] += 1
            if self.tries[msg_id] <= self.fail_first:
                return 500
            if msg_id in self.accepted:
                self.duplicates += 1
                return 200
            self.accepted[msg_id] = json.loads(body)
            return 200

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.accepted) >= count:
                    return True
            time.sleep(0.05)
        return False
