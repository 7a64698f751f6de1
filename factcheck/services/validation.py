"""Input checks shared by the services and the forms (one definition each)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-._~%]*[A-Za-z0-9])?)$")


def http_url_problem(url: str) -> str | None:
    """Why this is not an acceptable http(s) link, or None when it is."""
    if not url:
        return "Give a link."
    if len(url) > MAX_URL_LENGTH:
        return f"Links are limited to {MAX_URL_LENGTH} characters."
    if _CONTROL.search(url):
        return "Links cannot contain spaces or control characters."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "That is not a valid link."
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        return f"Only http:// and https:// links are accepted (this one has {shown})."
    if "@" in parts.netloc:
        return "Links with a username or password in them are refused."
    host = parts.hostname or ""
    if not host or not _HOST.match(host if not parts.netloc.startswith("[") else f"[{host}]"):
        return "The link has no valid host name."
    return None


def normalise_url(url: str) -> str:
    return url.strip()


def archive_save_url(url: str) -> str:
    """A link the reviewer can follow to save the page in the Wayback Machine (we fetch nothing)."""
    return f"https://web.archive.org/save/{url}"
