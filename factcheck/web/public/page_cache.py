"""Drawn public fact-check pages, kept by their ETag in each worker process.

A fact-check page is a function of its ETag's inputs (the snapshot's claim,
version and modification time, the site's settings and the public templates;
see routes.page_etag), so a page drawn once for an ETag is the page for that
ETag: a worker serving a shared (viral) check draws it once, and every later
request still counts itself against the rate limit and reads the snapshot's
version from the database before the kept page is sent. A re-publication or an
unpublication changes what that read finds, so nothing stale is served; the
cache only skips drawing the same page again. Nothing here is needed by
another process: each keeps its own, bounded by entries and bytes, least
recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_PAGE_BYTES = 256 * 1024  # a bigger page is drawn each time rather than kept


class PageCache:
    def __init__(self, entries: int, max_bytes: int | None = None):
        self.entries = max(0, entries)
        self.max_bytes = max_bytes if max_bytes is not None else self.entries * 32 * 1024
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if not self.entries:
            return None
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: bytes) -> None:
        if not self.entries or len(page) > min(MAX_PAGE_BYTES, self.max_bytes):
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._pages[key] = page
            self._bytes += len(page)
            while len(self._pages) > self.entries or self._bytes > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._pages)
