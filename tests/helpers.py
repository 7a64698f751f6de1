"""Helpers shared by the tests: a test client that fills in CSRF tokens as a browser would."""

from __future__ import annotations

import re
import socket
import time
from datetime import datetime, timezone

from flask.testing import FlaskClient

_CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str | None:
    match = _CSRF_RE.search(html)
    if not match:
        return None
    return match.group(1) or match.group(2)


class WebClient:
    """A Flask test client that posts forms the way a browser does, token included."""

    def __init__(self, client: FlaskClient):
        self.raw = client
        self._token: str | None = None

    def get(self, url: str, **kwargs):
        response = self.raw.get(url, **kwargs)
        if response.mimetype == "text/html":
            token = csrf_from(response.get_data(as_text=True))
            if token:
                self._token = token
        return response

    def csrf_token(self) -> str:
        if self._token is None:
            self.get("/login", follow_redirects=True)
        assert self._token, "no CSRF token found"
        return self._token

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf_token()
        response = self.raw.post(url, data=data, **kwargs)
        if response.mimetype == "text/html":
            token = csrf_from(response.get_data(as_text=True))
            if token:
                self._token = token
        return response

    def forget_token(self) -> None:
        self._token = None

    def __getattr__(self, name):
        return getattr(self.raw, name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_time_left_in_the_minute(seconds: float = 15.0) -> None:
    """Wait for the next minute when less than ``seconds`` are left of this one. The public rate
    limit counts per client and minute (services/rate_limit.py): a test that counts up to a limit
    across a minute's end would see its count start again and the refusal never come."""
    now = datetime.now(timezone.utc)
    left = 60 - now.second - now.microsecond / 1e6
    if left < seconds:
        time.sleep(left + 0.2)
