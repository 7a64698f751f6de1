"""A local news site for the feed tests and bench/intake_feed.py: RSS and Atom feeds that
can change between polls, the article pages they link to, and a robots.txt.

A real HTTP server (http.server on 127.0.0.1, in a thread) that answers conditional
requests the way a news CMS does: each feed carries an ETag and a Last-Modified, and
answers 304 to a request whose If-None-Match or If-Modified-Since matches. Every
request's path and conditional headers are recorded, so a test can check what the
poller sent.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE_TIME = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)

_PLACES = ["Kharkiv", "Basra", "Aleppo", "Mosul", "Donetsk", "Sanaa", "Gaza City", "Tripoli", "Kabul", "Mogadishu"]
_SOURCES = ["the health ministry", "local officials", "the army", "the governor", "a UN agency", "Reuters"]


def article_text(n: int) -> tuple[str, list[str]]:
    """The title and paragraphs of generated article ``n`` (distinct for every n, with figures)."""
    place = _PLACES[n % len(_PLACES)]
    source = _SOURCES[n % len(_SOURCES)]
    killed, wounded = 3 + n % 40, 10 + (n * 7) % 90
    title = f"Strike on {place} market kills {killed} (report {n})"
    paragraphs = [
        f"At least {killed} people were killed and {wounded} wounded when missiles struck a market in {place} on Tuesday, {source} said.",
        f"The attack involved {2 + n % 9} missiles fired from about {50 + n % 300} miles away, according to {source}.",
        f"Reuters could not independently verify the report. It was the {n + 1}th such strike recorded by monitors this year.",
        f"More than {1000 + 13 * n:,} residents have fled the district since the fighting began, {source} told reporters.",
        f"Aid groups said {20 + n % 60} trucks of food had reached the city in the past week, far fewer than needed.",
        "Witnesses described scenes of chaos as rescue workers searched the rubble for survivors late into the night.",
    ]
    return title, paragraphs


def article_html(n: int, url: str) -> bytes:
    title, paragraphs = article_text(n)
    published = (BASE_TIME + timedelta(hours=n)).isoformat()
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | Example Wire</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="Example Wire">
<meta name="author" content="A. Reporter">
<meta property="article:published_time" content="{published}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By A. Reporter</p>
{body}
</article></main>
<footer><p>Copyright Example Wire. All rights reserved.</p></footer>
</body></html>""".encode()


@dataclass
class FeedDoc:
    kind: str  # "rss" or "atom"
    title: str
    items: list[int] = field(default_factory=list)  # article numbers, newest first
    broken: bool = False  # answer 500
    garbage: bool = False  # answer 200 with something that is not a feed
    version: int = 0  # bumped on every change: the ETag and Last-Modified follow it

    def etag(self) -> str:
        return '"' + hashlib.sha1(f"{self.kind}{self.title}{self.items}{self.version}".encode()).hexdigest()[:16] + '"'

    def last_modified(self) -> str:
        return format_datetime(BASE_TIME + timedelta(minutes=self.version), usegmt=True)


class NewsSite:
    """``site.feeds["/rss.xml"] = FeedDoc("rss", "World", [1, 2])``; ``site.base`` is its address."""

    def __init__(self) -> None:
        self.feeds: dict[str, FeedDoc] = {}
        self.robots = "User-agent: *\nAllow: /\n"
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, conditional headers)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                conditional = {
                    k: v for k, v in (("If-None-Match", self.headers.get("If-None-Match")),
                                      ("If-Modified-Since", self.headers.get("If-Modified-Since"))) if v
                }
                with site.lock:
                    site.requests.append((path, conditional))
                    doc = site.feeds.get(path)
                    robots = site.robots
                if path == "/robots.txt":
                    return self._send(200, robots.encode(), "text/plain; charset=utf-8")
                if doc is not None:
                    if doc.broken:
                        return self._send(500, b"internal error", "text/plain")
                    if doc.garbage:
                        return self._send(200, b"<html><body>Not a feed at all</body></html>", "application/xml")
                    validators = {"ETag": doc.etag(), "Last-Modified": doc.last_modified()}
                    if conditional.get("If-None-Match") == doc.etag() or (
                        "If-None-Match" not in conditional and conditional.get("If-Modified-Since") == doc.last_modified()
                    ):
                        self.send_response(304)
                        for k, v in validators.items():
                            self.send_header(k, v)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return None
                    body, ctype = site.render(doc)
                    return self._send(200, body, ctype, validators)
                if path.startswith("/news/") and path.endswith(".html"):
                    try:
                        n = int(path[len("/news/") : -len(".html")])
                    except ValueError:
                        return self._send(404, b"not found", "text/plain")
                    return self._send(200, article_html(n, site.base + path), "text/html; charset=utf-8")
                return self._send(404, b"not found", "text/plain")

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def link(self, n: int) -> str:
        return f"{self.base}/news/{n}.html"

    def render(self, doc: FeedDoc) -> tuple[bytes, str]:
        if doc.kind == "rss":
            items = "".join(
                f"<item><title>{escape(article_text(n)[0])}</title><link>{self.link(n)}</link>"
                f"<guid isPermaLink=\"true\">{self.link(n)}</guid>"
                f"<pubDate>{format_datetime(BASE_TIME + timedelta(hours=n), usegmt=True)}</pubDate></item>"
                for n in doc.items
            )
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(doc.title)}</title>'
                f"<link>{self.base}/</link><description>Test feed</description>{items}</channel></rss>"
            )
            return body.encode(), "application/rss+xml; charset=utf-8"
        entries = "".join(
            f"<entry><title>{escape(article_text(n)[0])}</title><link href=\"{self.link(n)}\"/>"
            f"<id>urn:example:article:{n}</id><updated>{(BASE_TIME + timedelta(hours=n)).isoformat()}</updated></entry>"
            for n in doc.items
        )
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(doc.title)}</title>'
            f"<id>urn:example:feed:{escape(doc.title)}</id><updated>{BASE_TIME.isoformat()}</updated>{entries}</feed>"
        )
        return body.encode(), "application/atom+xml; charset=utf-8"

    def change(self, path: str, **changes) -> None:
        with self.lock:
            doc = self.feeds[path]
            for k, v in changes.items():
                setattr(doc, k, v)
            doc.version += 1

    def requests_for(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for p, headers in self.requests if p == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
