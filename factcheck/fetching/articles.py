"""An article from a link: fetch the page safely, extract its main text and metadata.

No database here: the result is an ExtractedArticle that the caller shows for
review (the web form) or turns straight into an ArticleDraft for the same
create use case as pasted text (services/articles.py: article_draft_from_page).

The body is trafilatura's main text, kept as extracted (line breaks normalised,
a first line repeating the headline dropped, ends trimmed), so claims' spans
point into exactly what the page said. The page's HTML is kept as UTF-8,
zlib-compressed, so the text can be re-extracted later.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from .fetch import HTML_TYPES, FetchRefused, fetch

__all__ = [
    "ExtractedArticle",
    "ExtractionFailed",
    "compress_html",
    "decompress_html",
    "extract_article",
    "fetch_article",
]

MAX_BODY_CHARS = 1_000_000  # services.articles.MAX_ARTICLE_CHARS (no import: intake sits below services)
SHORT_ARTICLE_WORDS = 120


class ExtractionFailed(Exception):
    """The page was fetched but holds no article text we can use; str(exc) says why."""


@dataclass(frozen=True)
class ExtractedArticle:
    requested_url: str
    fetched_from: str  # the final URL, after redirects
    canonical_url: str | None
    title: str | None
    byline: str | None
    outlet: str | None
    published_on: date | None
    language: str | None
    body: str
    raw_html: bytes  # UTF-8, zlib-compressed
    fetched_at: datetime
    warnings: tuple[str, ...] = field(default=())

    @property
    def url(self) -> str:
        """The address to file the article under: its canonical one when the page gives it."""
        return self.canonical_url or self.fetched_from


def compress_html(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 6)


def decompress_html(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(body: bytes, charset: str | None) -> str:
    """The page's text: the HTTP charset, else the page's <meta charset>, else UTF-8 (else Windows-1252)."""
    candidates = [charset] if charset else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    for name in candidates + ["utf-8"]:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""", re.IGNORECASE)
_OG_LOCALE = re.compile(
    r"""<meta[^>]+property\s*=\s*["']og:locale["'][^>]+content\s*=\s*["']([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""",
    re.IGNORECASE,
)
_NOT_FREE = re.compile(r""""isAccessibleForFree"\s*:\s*(?:false|"false")""", re.IGNORECASE)


def _language(html: str) -> str | None:
    head = html[:20_000]
    match = _HTML_LANG.search(head) or _OG_LOCALE.search(head)
    if not match:
        return None
    parts = match.group(1).replace("_", "-").split("-")
    return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])[:35]


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if len(value.encode("utf-8")) > 2000:
        return None
    # A canonical that is only the site's home page is a misconfigured site, not this article's address.
    if parts.path in ("", "/") and not parts.query:
        return None
    return value


def _one_line(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def extract_article(html: str, *, url: str, fetched_at: datetime, requested_url: str | None = None) -> ExtractedArticle:
    """Main text and metadata of a page's HTML; ExtractionFailed when there is no article text."""
    import trafilatura  # imported when used: it loads lxml and dateparser, which the web pages don't need

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
    )
    text = (getattr(document, "text", None) or "") if document is not None else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = _one_line(getattr(document, "title", None), 500)
    lines = text.strip().split("\n")
    if title and lines and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline is the article's title, not the first line of its body
    body = "\n".join(lines).strip()
    if not body:
        raise ExtractionFailed(
            f"No article text was found on {url}: the page may need JavaScript to show it, or not be an article."
        )
    if len(body) > MAX_BODY_CHARS:
        raise ExtractionFailed(f"The article text of {url} is {len(body):,} characters; articles are limited to {MAX_BODY_CHARS:,}.")
    published_on = None
    raw_date = getattr(document, "date", None)
    if raw_date:
        try:
            published_on = date.fromisoformat(raw_date[:10])
        except ValueError:
            published_on = None
    warnings = []
    if _NOT_FREE.search(html):
        warnings.append("The page says it is for subscribers only: the text may be only the part shown to everyone.")
    words = len(body.split())
    if words < SHORT_ARTICLE_WORDS:
        warnings.append(
            f"Only {words} words were found: the page may be behind a paywall, need JavaScript, or not be a full article."
        )
    return ExtractedArticle(
        requested_url=requested_url or url,
        fetched_from=url,
        canonical_url=_http_url(getattr(document, "url", None)),
        title=title,
        byline=_one_line(getattr(document, "author", None), 300),
        outlet=_one_line(getattr(document, "sitename", None), 200),
        published_on=published_on,
        language=_language(html),
        body=body,
        raw_html=compress_html(html),
        fetched_at=fetched_at,
        warnings=tuple(warnings),
    )


def fetch_article(url: str, *, allow_hosts: frozenset[str] | None = None) -> ExtractedArticle:
    """Fetch a page through the safe fetcher and extract it; FetchRefused or ExtractionFailed say why not."""
    result = fetch(url, accept=HTML_TYPES, allow_hosts=allow_hosts)
    html = decode_html(result.body, result.charset)
    return extract_article(html, url=result.url, fetched_at=result.fetched_at, requested_url=url.strip())


__all__ += ["FetchRefused", "decode_html"]
