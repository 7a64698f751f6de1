"""Helpers for the browser tests: what a page did (console, errors, dialogs,
requests, responses), logging in through the form, screenshots.

Playwright is imported lazily so that collecting the suite works on a machine
without it (the fixtures in conftest.py then skip or fail, see there).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "correct horse battery"  # >= 12 characters, contains no username
# username -> (role, display name)
USERS = {
    "rita": ("reviewer", "Rita Reviewer"),
    "eddie": ("editor", "Eddie Editor"),
    "erin": ("editor", "Erin Editor"),
    "ada": ("admin", "Ada Admin"),
}


@dataclass
class Watch:
    """Everything the pages of one browser context did that a test may assert on."""

    console: list[tuple[str, str, str, str]] = field(default_factory=list)  # (type, text, page url, source url)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[tuple[str, str]] = field(default_factory=list)  # (type, message)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, url, resource type)
    responses: list[tuple[int, str, str]] = field(default_factory=list)  # (status, url, resource type)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, failure)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console.append((m.type, m.text, page.url, (m.location or {}).get("url", ""))))
        page.on("pageerror", lambda e: self.page_errors.append(f"{page.url}: {e}"))
        page.on("dialog", self._on_dialog)
        page.on("request", lambda r: self.requests.append((r.method, r.url, r.resource_type)))
        page.on("response", lambda r: self.responses.append((r.status, r.url, r.request.resource_type)))
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure or "")))

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    # --- what the tests assert -------------------------------------------------

    def csp_violations(self) -> list[str]:
        """Chromium reports a blocked inline script as "Refused to execute ..." in older
        versions and as "... violates the following Content Security Policy directive"
        in newer ones (156 here): both count."""
        return [
            f"{url}: {text}"
            for _kind, text, url, _source in self.console
            if "Refused to" in text or "Content Security Policy" in text
        ]

    def favicon_errors(self) -> list[str]:
        """Console errors about /favicon.ico. Chromium asks for the icon once per browser
        (then caches the answer), so only test_network.py's own browser reliably sees it."""
        return [
            f"{url}: {text}" for kind, text, url, source in self.console if kind == "error" and _is_favicon(source)
        ]

    def console_errors(self, allow: tuple[str, ...] = ()) -> list[str]:
        return [
            f"{url}: {text} [{source}]"
            for kind, text, url, source in self.console
            if kind in ("error", "warning") and not any(re.search(p, text) for p in allow)
        ]

    def off_host(self, host: str, port: int) -> list[str]:
        """Requests that went anywhere but host:port (data: URLs never leave the browser)."""
        bad = []
        for _method, url, _kind in self.requests:
            parts = urlsplit(url)
            if parts.scheme == "data":
                continue
            if parts.scheme not in ("http", "https") or parts.hostname != host or parts.port != port:
                bad.append(url)
        return bad

    def error_responses(self, allow_paths: tuple[str, ...] = ()) -> list[str]:
        return [
            f"{status} {url} ({kind})"
            for status, url, kind in self.responses
            if status >= 400 and urlsplit(url).path not in allow_paths
        ]

    def assert_clean(self, *, allow_console: tuple[str, ...] = ()) -> None:
        """No dialog, no JS error, no CSP violation, no console error or warning."""
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.page_errors == [], f"JavaScript errors: {self.page_errors}"
        assert self.csp_violations() == [], f"CSP violations: {self.csp_violations()}"
        assert self.console_errors(allow_console) == [], f"console errors: {self.console_errors(allow_console)}"


def _is_favicon(url: str) -> bool:
    return urlsplit(url).path == "/favicon.ico"


def login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would: labels, then the button."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(re.compile(r"/claims(\?|$)"))
    display = USERS[username][1]
    flash = page.locator(".flash--success")
    assert flash.inner_text().strip() == f"Logged in as {display}.", flash.inner_text()
    assert display in page.locator(".user-menu").inner_text()


def screenshot(page, name: str) -> Path:
    """A full-page PNG of what the user sees, in artifacts/screenshots/NAME.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def claim_id_from(url: str) -> int:
    match = re.search(r"/claims/(\d+)", url)
    assert match, f"not a claim page: {url}"
    return int(match.group(1))


def queue_row(page, base_url: str, quote: str, **filters):
    """The queue's row for the claim quoting exactly QUOTE, under FILTERS (query arguments)."""
    from urllib.parse import urlencode

    page.goto(f"{base_url}/claims?{urlencode(filters)}")
    rows = page.locator("table.table tbody tr").filter(
        has=page.locator("q", has_text=re.compile("^" + re.escape(quote) + "$"))
    )
    assert rows.count() == 1, f"{rows.count()} rows quote {quote!r} in /claims?{urlencode(filters)}"
    return rows


def claim_id_by_quote(page, base_url: str, quote: str, **filters) -> int:
    row = queue_row(page, base_url, quote, **filters)
    return claim_id_from(row.locator("a.claim-link").get_attribute("href"))


def article_id_by_title(page, base_url: str, title_start: str) -> int:
    """The article listed at /articles whose headline starts with TITLE_START."""
    page.goto(f"{base_url}/articles")
    link = page.locator("table.table tbody tr a").filter(has_text=re.compile("^" + re.escape(title_start)))
    assert link.count() == 1, f"{link.count()} articles titled {title_start!r}…"
    return int(link.get_attribute("href").rsplit("/", 1)[1])
