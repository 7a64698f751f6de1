"""A real HTTP server on 127.0.0.1 serving the saved pages of tests/fixtures/intake/.

One per test process, started on first use. The app fetches from it only when
FACTCHECK_FETCH_ALLOW_HOSTS allows 127.0.0.1, as an administrator would allow
an intranet host.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "intake"
NEWS = (PAGES / "news-article.html").read_bytes()


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/moved":
            self._send(301, b"", Location="/news-article.html")
        elif path == "/news-article-updated.html":
            # The same story, corrected later: same canonical address, different text.
            self._send(200, NEWS.replace(b"killed 29 people", b"killed 31 people"))
        elif path == "/no-text.html":
            self._send(200, b"<!doctype html><html><head><title>Loading</title></head><body><div id=app></div></body></html>")
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path.endswith(".html") and (PAGES / path.lstrip("/")).is_file() and "/" not in path.lstrip("/"):
            self._send(200, (PAGES / path.lstrip("/")).read_bytes())
        else:
            self._send(404, b"not found")


_server: ThreadingHTTPServer | None = None
_lock = threading.Lock()


def page_server() -> str:
    """The base URL of the page server (http://127.0.0.1:PORT)."""
    global _server
    with _lock:
        if _server is None:
            _server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
            _server.daemon_threads = True
            threading.Thread(target=_server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{_server.server_address[1]}"
